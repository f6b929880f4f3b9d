#!/usr/bin/env bash
# Runs each example in examples/ under the real bar program with ../shared/harness and checks
# what the program parsed and drew. Skips cleanly when the harness is not there.
# Usage: test/bars/run.sh   (after npm run build)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
H="$root/../shared/harness"
if [ ! -d "$H" ]; then echo "bars: skipped (no ../shared/harness)"; exit 0; fi
[ -f "$root/dist/quotabar.cjs" ] || { echo "bars: run npm run build first"; exit 1; }
"$H/install.sh" all >/dev/null || { echo "bars: harness install failed"; exit 1; }

out="$root/test/bars/out"; rm -rf "$out"; mkdir -p "$out/bin"
printf '#!/bin/sh\nexec node %s "$@"\n' "$root/dist/quotabar.cjs" > "$out/bin/quotabar"; chmod +x "$out/bin/quotabar"
export PATH="$out/bin:$PATH"
good=$(mktemp -d); bad=$(mktemp -d); trap 'rm -rf "$good" "$bad"' EXIT
node "$root/test/bars/prepare.mjs" "$good" > "$out/prepare.txt" || { echo "bars: prepare failed"; cat "$out/prepare.txt"; exit 1; }
node "$root/test/bars/prepare.mjs" "$bad" broken > /dev/null 2>&1

pass=0 fail=0
check() { # NAME FILE REGEX
  if grep -Eq -- "$3" "$2"; then echo "ok   $1"; pass=$((pass+1)); else echo "FAIL $1  (no /$3/ in $2)"; fail=$((fail+1)); fi
}
none() { # NAME FILE REGEX
  if grep -Eq -- "$3" "$2"; then echo "FAIL $1  ($(grep -E -- "$3" "$2" | head -1))"; fail=$((fail+1)); else echo "ok   $1"; pass=$((pass+1)); fi
}
has_colour() { # NAME PNG COLOUR
  if python3 "$H/pngtool.py" has "$2" "$3" 60 >/dev/null; then echo "ok   $1"; pass=$((pass+1)); else echo "FAIL $1 ($3 not in $2)"; fail=$((fail+1)); fi
}
# The command each example configures, exactly as written there.
waybar_cmd=$(node -e 'const t=require("fs").readFileSync(process.argv[1],"utf8").replace(/^\s*\/\/.*$/gm,"");process.stdout.write(JSON.parse(t)["custom/quotabar"].exec)' "$root/examples/waybar/config.jsonc")
i3b_cmd=$(sed -n 's/^command=//p' "$root/examples/i3blocks.conf")
tmux_cmd=$(sed -n "s/^set -g status-right '#(\(.*\)).*/\1/p" "$root/examples/tmux.conf")
poly_cmd=$(sed -n 's/^exec = //p' "$root/examples/polybar.ini")
sed 's/#custom-quotabar/#custom-probe/g' "$root/examples/waybar/style.css" > "$out/style.css"
cat "$H/waybar.css" "$out/style.css" > "$out/waybar.css"

# Waybar: JSON accepted, markup accepted, critical class colour from our style.css, tooltip shown.
HOME=$good "$H/waybar-shot.sh" --hover --css "$out/waybar.css" "$waybar_cmd" "$out/waybar.png" > "$out/waybar.txt" 2>&1
check "waybar: drawn" "$out/waybar.txt" '^ink_pixels: [1-9]'
none "waybar: no JSON or markup problem" "$out/waybar.txt" '^problem:'
check "waybar: critical class colour applied" "$out/waybar.txt" '^class_colour: critical'
check "waybar: tooltip shown on hover" "$out/waybar.txt" '^tooltip_box: x='
[ -n "$(command -v tesseract)" ] && check "waybar: text reads the accounts" "$out/waybar.txt" '^ocr_text: work 42% . personal 76% . client 94%'
HOME=$bad "$H/waybar-shot.sh" --css "$out/waybar.css" "$waybar_cmd" "$out/waybar-broken.png" > "$out/waybar-broken.txt" 2>&1
check "waybar (broken config): still drawn" "$out/waybar-broken.txt" '^ink_pixels: [1-9]'
none "waybar (broken config): no problem logged" "$out/waybar-broken.txt" '^problem:'
has_colour "waybar (broken config): error colour" "$out/waybar-broken.png" '#c01c28'

# i3blocks: raw lines parsed into full_text/short_text/color; urgent from exit 33.
HOME=$good "$H/i3blocks-eval.sh" "$i3b_cmd" > "$out/i3blocks.txt" 2>&1
check "i3blocks: full text" "$out/i3blocks.txt" '^last_block: .*"full_text":"work 42% · personal 76% · client 94% [0-9]h'
check "i3blocks: short text is the worst account" "$out/i3blocks.txt" '^last_block: .*"short_text":"client 94%'
check "i3blocks: critical colour" "$out/i3blocks.txt" '^last_block: .*"color":"#d00000"'
check "i3blocks: urgent" "$out/i3blocks.txt" '^last_block: .*"urgent":true'
HOME=$bad "$H/i3blocks-eval.sh" "$i3b_cmd" > "$out/i3blocks-broken.txt" 2>&1
check "i3blocks (broken config): shown, not urgent" "$out/i3blocks-broken.txt" '^last_block: .*"full_text":"quotabar: config error".*"color":"#c01c28"'
HOME=$good "$H/swaybar-shot.sh" --block "$i3b_cmd" "$out/swaybar.png" > "$out/swaybar.txt" 2>&1
check "swaybar via i3blocks: drawn" "$out/swaybar.txt" '^ink_pixels: [1-9]'
none "swaybar via i3blocks: no problem" "$out/swaybar.txt" '^problem:'

# tmux: styles applied as colours, no '#' eaten, fits a raised status-right-length.
HOME=$good "$H/tmux-status.sh" --width 120 --length 100 "$tmux_cmd" > "$out/tmux.txt" 2>&1
check "tmux: rendered text" "$out/tmux.txt" '^rendered_text: .*work 42% · personal 76% · client 94% [0-9]h'
check "tmux: ok segment green" "$out/tmux.txt" "^span: .*fg=#3a9d23.*'work 42%'"
check "tmux: critical segment red" "$out/tmux.txt" "^span: .*fg=#d00000.*'client 94%"
none "tmux: no literal style left" "$out/tmux.txt" '^rendered_text: .*#\['

# polybar: colour tags interpreted, no parser errors.
HOME=$good "$H/polybar-shot.sh" "$poly_cmd" "$out/polybar.png" > "$out/polybar.txt" 2>&1
check "polybar: drawn" "$out/polybar.txt" '^ink_pixels: [1-9]'
none "polybar: no parser error" "$out/polybar.txt" '^problem:'
has_colour "polybar: critical colour drawn" "$out/polybar.png" '#d00000'
has_colour "polybar: warning colour drawn" "$out/polybar.png" '#e07000'

echo "outputs: $out"
echo "bars: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
