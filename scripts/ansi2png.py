#!/usr/bin/python3
"""Render a terminal capture (tmux capture-pane -e -p) to a PNG.

Used only to make the README's pictures from a real session. freeze
(github.com/charmbracelet/freeze) places double-width CJK cells wrongly, so
this draws the capture on a fixed cell grid instead: every character takes
one or two cells, exactly as the terminal showed it. Needs Debian's
python3-pil and fonts-noto-cjk.

usage: ansi2png.py CAPTURE.ansi OUT.png COLUMNS ROWS
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SYMBOLS = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"  # arrows, stars
MONO_SC = 6  # index of "Noto Sans Mono CJK SC" in the collection
SIZE = 16
CELL_W, CELL_H = SIZE // 2, int(SIZE * 1.45)
PAD = 18
BG = (24, 24, 27)
FG = (212, 212, 216)

BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def xterm(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)


def cells(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def sgr(params, st):
    ps = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            st.update(fg=None, bg=None, bold=False, underline=False, reverse=False, faint=False)
        elif p == 1:
            st["bold"] = True
        elif p == 2:
            st["faint"] = True
        elif p == 4:
            st["underline"] = True
        elif p == 7:
            st["reverse"] = True
        elif p == 22:
            st["bold"] = st["faint"] = False
        elif p == 24:
            st["underline"] = False
        elif p == 27:
            st["reverse"] = False
        elif 30 <= p <= 37:
            st["fg"] = BASE16[p - 30]
        elif 90 <= p <= 97:
            st["fg"] = BASE16[p - 90 + 8]
        elif 40 <= p <= 47:
            st["bg"] = BASE16[p - 40]
        elif 100 <= p <= 107:
            st["bg"] = BASE16[p - 100 + 8]
        elif p == 39:
            st["fg"] = None
        elif p == 49:
            st["bg"] = None
        elif p in (38, 48) and i + 1 < len(ps):
            key = "fg" if p == 38 else "bg"
            if ps[i + 1] == 5 and i + 2 < len(ps):
                st[key] = xterm(ps[i + 2])
                i += 2
            elif ps[i + 1] == 2 and i + 4 < len(ps):
                st[key] = tuple(ps[i + 2:i + 5])
                i += 4
        i += 1


TOKEN = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|(.)", re.S)


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    text = open(src, encoding="utf-8", errors="replace").read()
    regular = ImageFont.truetype(FONT, SIZE, index=MONO_SC)
    bold = ImageFont.truetype(BOLD, SIZE, index=MONO_SC)
    try:
        symbols = ImageFont.truetype(SYMBOLS, SIZE - 2)
    except OSError:
        symbols = regular
    img = Image.new("RGB", (cols * CELL_W + 2 * PAD, rows * CELL_H + 2 * PAD), BG)
    draw = ImageDraw.Draw(img)
    st = dict(fg=None, bg=None, bold=False, underline=False, reverse=False, faint=False)
    x = y = 0
    for m in TOKEN.finditer(text):
        if m.group(2):
            if m.group(2) == "m":
                sgr(m.group(1).replace(":", ";"), st)
            continue
        ch = m.group(3)
        if ch is None:
            continue
        if ch == "\n":
            x, y = 0, y + 1
            continue
        w = cells(ch)
        if w == 0 or y >= rows:
            continue
        fg, bg = st["fg"] or FG, st["bg"] or BG
        if st["reverse"]:
            fg, bg = bg, fg
        if st["faint"]:
            fg = tuple((c + b) // 2 for c, b in zip(fg, BG))
        px, py = PAD + x * CELL_W, PAD + y * CELL_H
        draw.rectangle([px, py, px + w * CELL_W - 1, py + CELL_H - 1], fill=bg)
        if ch != " ":
            font = bold if st["bold"] else regular
            if 0x2190 <= ord(ch) <= 0x2BFF:
                font = symbols
            draw.text((px, py + (CELL_H - SIZE) // 2 - 2), ch, font=font, fill=fg)
        if st["underline"]:
            draw.line([px, py + CELL_H - 3, px + w * CELL_W - 1, py + CELL_H - 3], fill=fg)
        x += w
    img.save(out, optimize=True)


if __name__ == "__main__":
    main()
