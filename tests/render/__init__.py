"""Tests of gongkai/render/."""
