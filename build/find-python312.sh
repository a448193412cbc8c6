#!/bin/sh
# Print the path of a Python 3.12 interpreter, or explain how to get one and fail.
# The site build must run 3.12: the browser runs Pyodide 0.27 (Python 3.12) and .pyc files
# are specific to a Python minor version.
is312() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; }
for candidate in "${PYTHON312:-}" python3.12 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is312 "$path"; then echo "$path"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for path in "$root"/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /opt/python3.12/bin/python3.12; do
  if [ -x "$path" ] && is312 "$path"; then echo "$path"; exit 0; fi
done
echo "Python 3.12 is required (the browser runs Pyodide 0.27 = Python 3.12) but none was found." >&2
echo "Install one (e.g. 'pyenv install 3.12', 'uv python install 3.12', or your OS's python3.12)," >&2
echo "or point PYTHON312 at it: make PYTHON312=/path/to/python3.12 test" >&2
exit 1
