"""disagg-viz: a token-level simulation of disaggregated LLM serving, told as a kitchen."""

__version__ = "0.1.0"
