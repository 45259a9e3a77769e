"""Charts of accounts, as versioned data files (``coa-2024.yaml``, ``coa-2004.yaml``)."""
