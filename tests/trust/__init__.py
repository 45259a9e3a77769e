"""Tests of gongkai/trust/."""
