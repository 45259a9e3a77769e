"""Tests of gongkai/core/."""
