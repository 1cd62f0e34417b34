"""Tests of the trial SDK; run from the repository root with
``python3 -m unittest discover -s sdk/python/tests -t sdk/python``."""
