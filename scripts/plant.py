#!/usr/bin/env python3
"""Plant a bug in a copy of an impl/ file by exact text replacement.

usage: plant.py FILE OLD NEW
OLD and NEW may hold several replacements, OLD1@@OLD2 -> NEW1@@NEW2, and
write a newline as \\n.  Exit 1 if an OLD is not in FILE (the planted bug
would silently not be there).  Used by scripts/checker-selftest.sh and
scripts/eva.sh.
"""
import sys

path, olds, news = sys.argv[1:4]
s = open(path).read()
for old, new in zip(olds.split("@@"), news.split("@@")):
    old, new = old.replace("\\n", "\n"), new.replace("\\n", "\n")
    if old not in s:
        sys.exit(1)
    s = s.replace(old, new, 1)
open(path, "w").write(s)
