# Reference runner for the local server's fidelity tests: runs ComfyUI 0.3.65's node bodies on the
# real torch / PIL / numpy (Debian's python3-torch 1.13, python3-pil 9.4, the libraries the recordings
# were made with) over a batch of cases, and answers every output.
#
# `reference.ts` joins this prelude, the family files (ComfyUI's own node bodies, reduced to what they
# compute, the file they come from named on each) and `runner.py` into one script.
import json
import math
import struct
import sys

import numpy as np
import torch
from PIL import Image

NODES = {}


def node(name):
    """Registers a node body under its class type."""

    def register(fn):
        NODES[name] = fn
        return fn

    return register
