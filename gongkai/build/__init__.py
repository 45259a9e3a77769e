"""Stage 9, build: options, replay, assemble, production and the output folder's writer.

Rule: imports the stages below it. ``write`` is the only module that writes an output
folder (staged, then swapped in).
"""
