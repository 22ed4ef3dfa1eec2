"""The Qt app: thin views subscribed to a controller (scenario -> result) and a time cursor."""
