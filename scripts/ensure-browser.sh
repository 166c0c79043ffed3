#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own download is not used),
# with a Korean font so screenshots of the Korean UI show glyphs, not boxes.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "installing ${need[*]} for the browser tests..."
$SUDO apt-get update -qq
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; then
  # Without the font the tests still run (Korean text is read from the DOM).
  [ -x /usr/bin/chromium ] || { echo "could not install chromium"; exit 1; }
  echo "could not install fonts-nanum; Korean screenshots will show boxes"
fi
