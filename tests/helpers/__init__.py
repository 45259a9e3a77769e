"""Helpers shared by the tests: sites, command runs, HTML reading, the browser, the seal, the layer rule."""
