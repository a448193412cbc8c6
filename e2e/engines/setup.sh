#!/usr/bin/env bash
# What the cross-engine smoke suite needs (`make engines` runs this first): Debian's Firefox ESR,
# WebKitGTK's WebDriver, Xvfb, PyGObject with WebKitGTK's bindings (webkit_shell.py), Node.js
# and npm, and puppeteer-core as pinned in package-lock.json. As root it installs what is
# missing (apt-get, npm ci); otherwise it says what to install. It never downloads a browser
# (PUPPETEER_SKIP_DOWNLOAD: puppeteer drives Debian's own Firefox). Selenium comes with the
# venv (pyproject.toml's test group).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
have Xvfb || missing+=(xvfb)
/usr/bin/python3 -c 'import gi; gi.require_version("WebKit2", "4.1"); gi.require_version("Gtk", "3.0")' \
  >/dev/null 2>&1 || missing+=(python3-gi gir1.2-webkit2-4.1 gir1.2-gtk-3.0)
node -e 'process.exit(+process.versions.node.split(".")[0] < 18 ? 1 : 0)' >/dev/null 2>&1 \
  || missing+=(nodejs)
have npm || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "Installing Debian's ${missing[*]} (the Firefox and WebKit smoke suite)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The Firefox and WebKit smoke suite needs: ${missing[*]}"
    echo "Install them (Debian/Ubuntu): sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# puppeteer-core, exactly as package-lock.json pins it (again only when the lock changed).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing puppeteer-core from package-lock.json (no browser download)"
  PUPPETEER_SKIP_DOWNLOAD=1 npm_config_cache="${XDG_CACHE_HOME:-$HOME/.cache}/npm" \
    npm ci --no-audit --no-fund --loglevel=error
fi
