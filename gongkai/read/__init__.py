"""Stage 2, read: text decoding, YAML with positions, front matter, Markdown, the site folder.

Rule: imports ``core`` only. Reads files; writes nothing.
"""
