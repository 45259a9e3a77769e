"""Tests of gongkai/plan/."""
