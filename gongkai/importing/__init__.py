"""Importing a ledger from a spreadsheet: reading the file, reading its rows, writing the YAML."""
