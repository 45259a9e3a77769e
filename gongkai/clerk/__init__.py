"""Stage 10, clerk: the live preview, ``new`` scaffolding, spreadsheet import, ledgers.

Rule: imports the stages below it. Writes one new content file at a time, or a private
preview folder.
"""
