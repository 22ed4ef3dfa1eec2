import sys

from disagg_viz.entry import main

sys.exit(main())
