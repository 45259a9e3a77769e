"""Helpers shared by the tests: sites, command runs, HTML reading, the browser, the layer rule."""
