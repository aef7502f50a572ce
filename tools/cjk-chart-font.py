#!/usr/bin/env python3
"""Makes themes/default/static/fonts/noto-sans-sc-charts.otf: the subset of
Noto Sans CJK SC that Chinese charts are measured and drawn with.

It holds printable ASCII and every character of themes/default/i18n/zh.toml,
renamed "Noto Sans SC Charts" (the OFL reserves no name but "Source").
Run it after adding Chinese strings; the test
`the_chinese_chart_font_has_every_character_of_the_chinese_strings` says when.

Needs fontTools (pip install fonttools) and Debian's fonts-noto-cjk.
"""
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = ROOT / "themes/default/static/fonts/noto-sans-sc-charts.otf"

text = (ROOT / "themes/default/i18n/zh.toml").read_text(encoding="utf-8")
chars = sorted({c for c in text if c >= " "} | {chr(c) for c in range(0x20, 0x7F)})

# Font number 2 of the collection is Simplified Chinese (SC).
font = TTCollection(str(SOURCE)).fonts[2]
options = subset.Options()
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.notdef_outline = True
options.layout_features = ["kern", "palt"]
options.hinting = False
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=[ord(c) for c in chars])
subsetter.subset(font)

names = {
    1: "Noto Sans SC Charts",
    2: "Regular",
    3: "NotoSansSCCharts-Regular; subset for rapport charts",
    4: "Noto Sans SC Charts Regular",
    6: "NotoSansSCCharts-Regular",
}
table = font["name"]
table.names = [n for n in table.names if n.platformID == 3 and n.langID == 0x409 and n.nameID <= 14]
for name_id, value in names.items():
    table.setName(value, name_id, 3, 1, 0x409)
font.save(str(TARGET))
print(f"{TARGET.relative_to(ROOT)}: {len(chars)} characters, {TARGET.stat().st_size // 1024} KB")
