"""PDF-ready copies of the site's fonts (used by ``guide.publish.pdf`` only).

Two problems with printing the site's own woff2 files as they are:

1. They are variable fonts, which Chromium embeds in PDFs as nameless Type 3
   fonts. :func:`static_instance` pins the ``wght`` axis (400, 700), giving
   real TrueType subsets named NotoNaskhArabic / NotoSans in the PDF.
2. Noto Naskh Arabic draws a dotted letter as two glyphs: the bare letter
   shape plus its dots (its ``ccmp`` feature decomposes e.g. NOON into
   "dotless noon" + "dot above", and GPOS places the dot). Each such letter
   becomes a two-glyph cluster that Chromium tags with /ActualText, and text
   extractors (poppler's pdftotext) then split words ("هذ ا") and drop letters
   onto separate lines. :func:`compose_dotted_letters` adds one composite
   glyph per (letter shape, dots) pair, with the dots where GPOS would put
   them, and a final required-ligature lookup that swaps the pair for the
   composite. Shaping, joining and the look are unchanged; each letter is one
   glyph, and extracted text is whole words.

Generic: it reads the font's own GSUB/GPOS, so regenerated subsets still work.
The site's own Arabic woff2 uses the first pass too (guide/publish/fonts.py:
WebKit drew the split-off dots detached), composing only the pairs GSUB can
produce (:func:`dot_pairs`). A diacritic that GPOS stacks on the dots (mark to
mark) gets the composite an anchor where it sat on them.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from fontTools.varLib import instancer

MARK_CLASS = 3  # GDEF glyph class of combining marks
BASE_CLASS = 1


def is_variable(path: Path) -> bool:
    return "fvar" in TTFont(str(path), lazy=True)


def family_name(path: Path) -> str:
    """The font's own family name (typographic family if set), e.g. "Noto Sans"."""
    names = TTFont(str(path), lazy=True)["name"]
    return str(names.getDebugName(16) or names.getDebugName(1))


def static_instance(path: Path, weight: int) -> TTFont:
    """The font at ``weight`` (clamped to its ``wght`` range) as a static TrueType font."""
    font = TTFont(str(path))
    if "fvar" in font:
        axes = {a.axisTag: a for a in font["fvar"].axes}
        location = {}
        for tag, axis in axes.items():
            value = weight if tag == "wght" else axis.defaultValue
            location[tag] = min(max(value, axis.minValue), axis.maxValue)
        font = instancer.instantiateVariableFont(font, location)
    font.flavor = None
    return font


def _subtables(lookup):
    for st in lookup.SubTable:
        yield st.ExtSubTable if lookup.LookupType in (7, 9) and hasattr(st, "ExtSubTable") else st


def _lookup_type(lookup) -> int:
    if lookup.LookupType in (7, 9) and lookup.SubTable and hasattr(lookup.SubTable[0], "ExtensionLookupType"):
        return lookup.SubTable[0].ExtensionLookupType
    return lookup.LookupType


def _offsets(gpos, marks: set[str]) -> tuple[dict[tuple[str, str], tuple[int, int]], list]:
    """Where GPOS mark-to-base puts each of ``marks`` on each base: (base, mark) -> (dx, dy)."""
    offsets: dict[tuple[str, str], tuple[int, int]] = {}
    markbase = []
    for lookup in gpos.LookupList.Lookup:
        if _lookup_type(lookup) != 4:
            continue
        for st in _subtables(lookup):
            markbase.append(st)
            for mi, mark in enumerate(st.MarkCoverage.glyphs):
                if mark not in marks:
                    continue
                record = st.MarkArray.MarkRecord[mi]
                for bi, base in enumerate(st.BaseCoverage.glyphs):
                    anchor = st.BaseArray.BaseRecord[bi].BaseAnchor[record.Class]
                    if anchor is None or (base, mark) in offsets:
                        continue
                    offsets[(base, mark)] = (anchor.XCoordinate - record.MarkAnchor.XCoordinate,
                                             anchor.YCoordinate - record.MarkAnchor.YCoordinate)
    return offsets, markbase


def _add_pass(font: TTFont, offsets: dict, markbase: list, rlig: list, tag: str,
              anchored: set[str] | None = None) -> int:
    """One ligature lookup turning each (base, mark) of ``offsets`` into a composite glyph.
    ``anchored``: give mark-to-base records only to composites of these marks
    (default: every composite, so that any further mark attaches to it)."""
    gsub, classes = font["GSUB"].table, font["GDEF"].table.GlyphClassDef.classDefs
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    ligatures: dict[str, list] = {}
    composites: dict[str, str] = {}  # composite -> its base
    parts: dict[str, tuple[str, tuple[int, int]]] = {}  # composite -> its mark and the mark's offset
    for (base, mark), (dx, dy) in sorted(offsets.items()):
        name = f"{base}_{mark}.{tag}"
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = []
        for component_name, x, y in ((base, 0, 0), (mark, dx, dy)):
            component = GlyphComponent()
            component.glyphName, component.x, component.y = component_name, x, y
            component.flags = 0x200 if component_name == base else 0  # USE_MY_METRICS: the base's advance
            glyph.components.append(component)
        order.append(name)
        glyf.glyphs[name] = glyph
        hmtx.metrics[name] = hmtx.metrics[base]
        classes[name] = BASE_CLASS
        composites[name] = base
        parts[name] = (mark, (dx, dy))
        ligature = ot.Ligature()
        ligature.LigGlyph, ligature.Component, ligature.CompCount = name, [mark], 2
        ligatures.setdefault(base, []).append(ligature)
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    for name in composites:  # bounding boxes and left side bearings of the new glyphs
        glyf.glyphs[name].recalcBounds(glyf)
        hmtx.metrics[name] = (hmtx.metrics[name][0], getattr(glyf.glyphs[name], "xMin", 0))

    # Further marks attach to the composite as they would to its base, or,
    # where GPOS stacks them on the composed mark (a vowel above the dots of
    # TEH, a kasra below the dot of BEH: mark-to-mark), where they would sit
    # on that mark: its anchor moved by the mark's offset.
    font_gpos = font["GPOS"].table
    for st in markbase:
        bases = st.BaseCoverage.glyphs
        index = {g: i for i, g in enumerate(bases)}
        by_class: dict[int, list[str]] = {}
        for mark_glyph, record in zip(st.MarkCoverage.glyphs, st.MarkArray.MarkRecord):
            by_class.setdefault(record.Class, []).append(mark_glyph)
        for name, base in composites.items():
            mark, (dx, dy) = parts[name]
            if anchored is not None and mark not in anchored:
                continue
            stacked = {k: _stacked_anchor(font_gpos, mark, marks) for k, marks in by_class.items()}
            if base not in index and not any(stacked.values()):
                continue
            record = ot.BaseRecord()
            record.BaseAnchor = (list(st.BaseArray.BaseRecord[index[base]].BaseAnchor) if base in index
                                 else [None] * st.ClassCount)
            for k, anchor in stacked.items():
                if anchor is not None:
                    record.BaseAnchor[k] = _anchor(anchor[0] + dx, anchor[1] + dy)
            bases.append(name)
            st.BaseArray.BaseRecord.append(record)
        st.BaseArray.BaseCount = len(st.BaseArray.BaseRecord)

    subtable = ot.LigatureSubst()
    subtable.ligatures = ligatures
    lookup = ot.Lookup()
    lookup.LookupType, lookup.LookupFlag = 4, 0
    lookup.SubTable, lookup.SubTableCount = [subtable], 1
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    for record in rlig:  # last lookups of the last Arabic stage: after joining forms and rlig contexts
        record.Feature.LookupListIndex.append(gsub.LookupList.LookupCount - 1)
        record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    return len(composites)


def _successors(font: TTFont) -> tuple[dict[str, set[str]], list[list[str]]]:
    """What each glyph can become through GSUB (single, alternate, ligature
    and the non-mark part of multiple substitutions), and every sequence a
    multiple substitution splits a glyph into."""
    gsub, classes = font["GSUB"].table, font["GDEF"].table.GlyphClassDef.classDefs
    successors: dict[str, set[str]] = {}
    splits: list[list[str]] = []
    for lookup in gsub.LookupList.Lookup:
        kind = _lookup_type(lookup)
        for st in _subtables(lookup):
            if kind == 1:
                for a, b in st.mapping.items():
                    successors.setdefault(a, set()).add(b)
            elif kind == 2:
                for a, sequence in st.mapping.items():
                    splits.append(sequence)
                    # A later lookup may re-form the shape (YEH's split-off
                    # shape is ALEF MAKSURA, whose own lookup maps it on).
                    successors.setdefault(a, set()).update(g for g in sequence if classes.get(g) != MARK_CLASS)
            elif kind == 3:
                for a, alternates in st.alternates.items():
                    successors.setdefault(a, set()).update(alternates)
            elif kind == 4:
                for first, ligatures in st.ligatures.items():
                    for ligature in ligatures:
                        for g in (first, *ligature.Component):
                            successors.setdefault(g, set()).add(ligature.LigGlyph)
    return successors, splits


def _closure(start: str, successors: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        glyph = todo.pop()
        if glyph not in seen:
            seen.add(glyph)
            todo.extend(successors.get(glyph, ()))
    return seen


def split_marks(font: TTFont) -> set[str]:
    """The mark glyphs GSUB splits off letters (the dots, the hamza of أ, the
    stroke inside KAF), and the marks later lookups turn those into (JEEM's
    dot has a form of its own after some letters)."""
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    successors, splits = _successors(font)
    marks = set()
    for sequence in splits:
        for glyph in sequence[1:]:
            if classes.get(glyph) == MARK_CLASS:
                marks.update(g for g in _closure(glyph, successors) if classes.get(g) == MARK_CLASS)
    return marks


def drop_split_mark_positioning(font: TTFont) -> int:
    """After every produced (shape, dots) pair is composed, GPOS never sees a
    split-off mark again: drop the mark-to-base lookups that only place them
    and their records in mark-to-mark ones (smaller file). Returns the
    number of lookups dropped."""
    gpos_table, marks = font["GPOS"], split_marks(font)
    gpos = gpos_table.table
    dead = set()
    for i, lookup in enumerate(gpos.LookupList.Lookup):
        kind = _lookup_type(lookup)
        for st in _subtables(lookup):
            if kind == 4 and set(st.MarkCoverage.glyphs) <= marks:
                dead.add(i)
            elif kind == 6:
                for coverage, array, records, count in (("Mark1Coverage", "Mark1Array", "MarkRecord", "MarkCount"),
                                                        ("Mark2Coverage", "Mark2Array", "Mark2Record", "Mark2Count")):
                    kept = [(g, r) for g, r in zip(getattr(st, coverage).glyphs, getattr(getattr(st, array), records))
                            if g not in marks]
                    getattr(st, coverage).glyphs = [g for g, _ in kept]
                    setattr(getattr(st, array), records, [r for _, r in kept])
                    setattr(getattr(st, array), count, len(kept))
    for record in gpos.FeatureList.FeatureRecord:
        record.Feature.LookupListIndex = [i for i in record.Feature.LookupListIndex if i not in dead]
        record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    gpos_table.prune_lookups()  # (fontTools.subset adds it) drops the lookups no feature uses
    return len(dead)


def dot_pairs(font: TTFont) -> set[tuple[str, str]]:
    """The (letter shape, dots) pairs GSUB can produce: each letter's bare
    shape as ``ccmp`` splits it off, then every form the joining and ligature
    lookups can turn that shape into, with each form of the dots split off."""
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    successors, splits = _successors(font)
    pairs = set()
    for sequence in splits:
        shapes = {g for g in _closure(sequence[0], successors) if classes.get(g) != MARK_CLASS}
        for glyph in sequence[1:]:
            if classes.get(glyph) == MARK_CLASS:
                for mark in _closure(glyph, successors):
                    if classes.get(mark) == MARK_CLASS:
                        pairs.update((shape, mark) for shape in shapes)
    return pairs


def _anchor(x: int, y: int):
    anchor = ot.Anchor()
    anchor.Format, anchor.XCoordinate, anchor.YCoordinate = 1, x, y
    return anchor


def _stacked_anchor(gpos, mark: str, marks: list[str]) -> tuple[int, int] | None:
    """Where mark-to-mark attaches ``marks`` (one class of a mark-to-base
    lookup) to ``mark``, in ``mark``'s own coordinates; None if it does not."""
    for lookup in gpos.LookupList.Lookup:
        if _lookup_type(lookup) != 6:
            continue
        for st in _subtables(lookup):
            if mark not in st.Mark2Coverage.glyphs:
                continue
            anchors = st.Mark2Array.Mark2Record[st.Mark2Coverage.glyphs.index(mark)].Mark2Anchor
            for mi, mark1 in enumerate(st.Mark1Coverage.glyphs):
                if mark1 in marks:
                    anchor = anchors[st.Mark1Array.MarkRecord[mi].Class]
                    if anchor is not None:
                        return anchor.XCoordinate, anchor.YCoordinate
    return None


def compose_dotted_letters(font: TTFont, typed_marks: bool = True, only_produced: bool = False) -> int:
    """Make each Arabic letter one glyph; return how many composites were added.

    Pass 1: bare letter shape + the dots GSUB split off it. Pass 2: the result
    + a diacritic typed by the author (shadda, fatha...), which would otherwise
    be a second glyph in the letter's cluster too. ``typed_marks=False`` stops
    after pass 1 (the web font: typed diacritics stay GPOS marks, which every
    engine places; pass 2 multiplies the glyph count by the diacritics).
    ``only_produced``: compose only the pairs GSUB can produce (:func:`dot_pairs`),
    not every (base, dots) pair GPOS has anchors for: a sixth of the glyphs.
    """
    if not all(tag in font for tag in ("GSUB", "GPOS", "GDEF", "glyf")):
        return 0
    gsub, gpos, gdef = font["GSUB"].table, font["GPOS"].table, font["GDEF"].table
    if not gdef.GlyphClassDef or not gsub.LookupList or not gpos.LookupList:
        return 0
    classes = gdef.GlyphClassDef.classDefs
    rlig = [fr for fr in gsub.FeatureList.FeatureRecord if fr.FeatureTag == "rlig"]
    if not rlig:
        return 0  # nowhere to run late enough (after the joining forms)
    split = split_marks(font)
    if not split:
        return 0
    if "post" in font:
        font["post"].formatType = 3.0  # no glyph names to keep in sync
    offsets, markbase = _offsets(gpos, split)
    if only_produced:
        produced = dot_pairs(font)
        offsets = {pair: offset for pair, offset in offsets.items() if pair in produced}
    added = _add_pass(font, offsets, markbase, rlig, "dots") if offsets else 0
    if not typed_marks:
        return added
    cmap = font.getBestCmap() or {}
    typed = {g for cp, g in cmap.items() if classes.get(g) == MARK_CLASS} - split
    offsets, markbase = _offsets(gpos, typed)
    added += _add_pass(font, offsets, markbase, rlig, "mark") if offsets else 0
    # Pass 3: shadda takes a vowel on top of it (e.g. "ـمَّ"); GPOS puts that
    # vowel on the shadda (mark-to-mark), so its offset is shadda's plus that.
    shadda = cmap.get(0x0651)
    if shadda and offsets:
        on_shadda = _mark_on_mark(gpos, shadda, typed - {shadda})
        third = {}
        for (base, mark), (dx, dy) in offsets.items():
            if mark != shadda:
                continue
            for vowel, (vx, vy) in on_shadda.items():
                third[(f"{base}_{shadda}.mark", vowel)] = (dx + vx, dy + vy)
        if third:
            added += _add_pass(font, third, markbase, rlig, "mark2")
    return added


def _mark_on_mark(gpos, base_mark: str, marks: set[str]) -> dict[str, tuple[int, int]]:
    """Offsets of ``marks`` stacked on ``base_mark`` by GPOS mark-to-mark: mark -> (dx, dy)."""
    result = {}
    for lookup in gpos.LookupList.Lookup:
        if _lookup_type(lookup) != 6:
            continue
        for st in _subtables(lookup):
            if base_mark not in st.Mark2Coverage.glyphs:
                continue
            anchors = st.Mark2Array.Mark2Record[st.Mark2Coverage.glyphs.index(base_mark)].Mark2Anchor
            for mi, mark in enumerate(st.Mark1Coverage.glyphs):
                record = st.Mark1Array.MarkRecord[mi]
                anchor = anchors[record.Class]
                if mark in marks and anchor is not None and mark not in result:
                    result[mark] = (anchor.XCoordinate - record.MarkAnchor.XCoordinate,
                                    anchor.YCoordinate - record.MarkAnchor.YCoordinate)
    return result


def pdf_font(path: Path, weight: int, target: Path) -> int:
    """Write the PDF-ready font for ``path`` at ``weight`` to ``target``; return composites added."""
    font = static_instance(path, weight)
    added = compose_dotted_letters(font)
    font.save(str(target))
    return added


def typed_mark_clusters(font: TTFont, words) -> set[tuple[str, ...]]:
    """The (base, typed diacritic[, diacritic on it]) glyph sequences HarfBuzz
    makes of ``words`` in ``font`` (logical order, glyph names): what
    :func:`compose_typed_marks` would have to compose for those words to be
    drawn with no diacritic placed by GPOS."""
    import copy
    import io

    import uharfbuzz as hb

    classes = font["GDEF"].table.GlyphClassDef.classDefs
    order = font.getGlyphOrder()
    raw = io.BytesIO()
    copy.deepcopy(font).save(raw)  # (saving compiles tables in place: the masters must stay alike)
    hb_font = hb.Font(hb.Face(raw.getvalue()))
    clusters = set()
    for word in words:
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(hb_font, buf, {})
        glyphs = [order[info.codepoint] for info in buf.glyph_infos]
        if buf.direction == "rtl":
            glyphs.reverse()
        base, stack = None, []
        for glyph in [*glyphs, None]:
            if glyph is not None and classes.get(glyph) == MARK_CLASS:
                stack.append(glyph)
                continue
            if base is not None and stack:
                clusters.add((base, *stack))
            base, stack = glyph, []
    return clusters


def compose_typed_marks(font: TTFont, clusters) -> int:
    """Compose the typed diacritics of ``clusters`` (from :func:`typed_mark_clusters`)
    with their base; return the composites added.

    One composite glyph per (base, diacritic) pair, and per (that pair, a
    vowel stacked on its shadda), the diacritic where GPOS puts it (mark to
    base; mark to mark on the shadda); each step is a last ``rlig`` ligature
    lookup, after the dots' one. WebKitGTK draws every glyph of a run at the
    first glyph's vertical GPOS offset (see guide/publish/fonts.py), so a
    diacritic is drawn right only inside its letter's glyph. A pair not
    listed keeps its diacritic a GPOS mark, drawn as before. The composites
    get no mark anchors of their own (each would cost some 30 bytes): a
    diacritic typed after a composed pair that no listed cluster has (a new
    vowel on a composed shadda) is not attached; tests/test_fonts.py names
    the word, and re-running the font tool composes it.
    """
    gsub, gpos = font["GSUB"].table, font["GPOS"].table
    rlig = [fr for fr in gsub.FeatureList.FeatureRecord if fr.FeatureTag == "rlig"]
    if not rlig or not clusters:
        return 0
    if "post" in font:
        font["post"].formatType = 3.0
    typed = {g for c in clusters for g in c[1:]}
    offsets, markbase = _offsets(gpos, typed)
    first = {pair: offsets[pair] for pair in sorted({c[:2] for c in clusters}) if pair in offsets}
    added = _add_pass(font, first, markbase, rlig, "mark", anchored=set()) if first else 0
    second = {}
    for cluster in sorted(clusters):
        if len(cluster) != 3 or cluster[:2] not in first:
            continue
        on_mark = _mark_on_mark(gpos, cluster[1], {cluster[2]})
        if cluster[2] in on_mark:
            (dx, dy), (vx, vy) = first[cluster[:2]], on_mark[cluster[2]]
            second[(f"{cluster[0]}_{cluster[1]}.mark", cluster[2])] = (dx + vx, dy + vy)
    if second:
        added += _add_pass(font, second, markbase, rlig, "mark2", anchored=set())
    return added
