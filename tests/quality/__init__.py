"""The repository as a whole: lint, types, the layer rule, module sizes, output names."""
