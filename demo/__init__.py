from . import generate
