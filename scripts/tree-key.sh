#!/usr/bin/env bash
# The identity of the working tree's content: HEAD, the diff of tracked
# files against it, and every untracked (not ignored) file's bytes.  Two
# trees with the same key have the same sources, whatever the edit history;
# make check records it, make verify skips what passed on that content.
set -u
cd "$(dirname "$0")/.."
{
	git rev-parse HEAD 2>/dev/null || echo no-git
	git diff HEAD --binary 2>/dev/null
	git ls-files --others --exclude-standard -z 2>/dev/null |
		xargs -0 -r sha256sum 2>/dev/null
} | sha256sum | cut -d' ' -f1
