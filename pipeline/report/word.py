"""Word building blocks shared by the yearly report and the period assessment: page set-up,
headings that a table of contents can list, a real Word TOC field, numbered captions,
pictures with alt text, tables with repeated header rows, placeholders for the CBs' own
text, and document properties that say who wrote the document and when.

Written with python-docx; where it has no API (fields, bookmarks, alt text, the
extended properties) the few XML elements are added here, so the documents stay plain
Word that Word and LibreOffice both open and lay out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.outputs.write import SYNTHETIC_MARK

FONT = "Arial"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADING_BLUE = RGBColor(0x1F, 0x3A, 0x5F)
TEXT_WIDTH_CM = 16.6
AUTHOR = "Centralbibliotekerne"
TOC_LEVELS = 2
"""Headings 1-2 are listed in the table of contents (opgave, resultatmål, chapters)."""
HEADER_FILL = "E7E6E6"
KEEP_TOGETHER = 15
GROUP_FILL = "D9E2F3"
"""The light fill of a table's grouping rows (a resultatmål in the period tables)."""


@dataclass
class Writer:
    """One document being written: the python-docx document plus the running numbers of
    its figures and tables and the headings its table of contents lists."""

    doc: DocxDocument
    figure_count: int = 0
    table_count: int = 0
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    """(level, text, bookmark) of every heading up to TOC_LEVELS, in order."""
    _toc_at: Paragraph | None = None

    # --- text ---------------------------------------------------------------------------

    def heading(self, text: str, level: int, new_page: bool = False) -> Paragraph:
        """A heading in Word's heading style, bookmarked so the TOC can link to it;
        `new_page` starts a chapter on a page of its own."""
        paragraph = self.doc.add_heading(text, level=level)
        paragraph.paragraph_format.page_break_before = new_page
        if level <= TOC_LEVELS:
            name = f"_Toc{len(self.headings) + 1:06d}"
            bookmark(paragraph, name, len(self.headings) + 1)
            self.headings.append((level, text, name))
        return paragraph

    def paragraph(self, text: str = "", bold_lead: str = "", italic: bool = False,
                  size: float | None = None, colour: RGBColor | None = None,
                  keep_with_next: bool = False, style: str | None = None) -> Paragraph:
        """A paragraph, optionally starting with a bold lead ('Opfyldt i 2024. ')."""
        paragraph = self.doc.add_paragraph(style=style)
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        if text:
            run = paragraph.add_run(text)
            run.italic = italic
            if size:
                run.font.size = Pt(size)
            if colour is not None:
                run.font.color.rgb = colour
        paragraph.paragraph_format.keep_with_next = keep_with_next
        return paragraph

    def bullet(self, text: str, bold_lead: str = "") -> Paragraph:
        return self.paragraph(text, bold_lead=bold_lead, style="List Bullet")

    def placeholder(self, text: str, lead: str = "") -> Paragraph:
        """Room for the CBs' own text: grey, in square brackets, to be replaced."""
        paragraph = self.doc.add_paragraph()
        if lead:
            paragraph.add_run(lead).bold = True
        run = paragraph.add_run(f"[{text}]")
        run.font.color.rgb = GREY
        run.italic = True
        return paragraph

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- numbered captions, pictures, tables -------------------------------------------

    def caption(self, kind: str, text: str, keep_with_next: bool = False) -> Paragraph:
        """'Figur 3. …' or 'Tabel 2. …' in Word's Caption style, the number a SEQ field
        (Word renumbers it; the cached number is already right)."""
        if kind == "Figur":
            self.figure_count += 1
            number = self.figure_count
        else:
            self.table_count += 1
            number = self.table_count
        paragraph = self.doc.add_paragraph(style="Caption")
        paragraph.add_run(f"{kind} ")
        complex_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        paragraph.add_run(f". {text}")
        paragraph.paragraph_format.keep_with_next = keep_with_next
        return paragraph

    def figure(self, png: bytes, title: str, alt_text: str,
               width_cm: float = TEXT_WIDTH_CM) -> None:
        """A chart with its caption under it (the chart's title), kept on one page with it
        and with the first lines of the text that follows (the chart's sentence, which is
        also its alt text, for screen readers). The chart comes first and its text after
        it, so a long text can run on to the next page instead of taking the chart along
        and leaving the page half empty."""
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        picture = self.doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_alt_text(self.doc.inline_shapes[-1], title, alt_text)
        self.caption("Figur", title, keep_with_next=True)

    def figures(self, pictures: Sequence[tuple[bytes, str]], alt_text: str,
                width_cm: float = 14.0) -> None:
        """One chart across the page, or several side by side, kept with the text that
        follows them (`alt_text`, the charts' sentence)."""
        if len(pictures) == 1:
            png, title = pictures[0]
            self.figure(png, title, alt_text, width_cm=width_cm)
        elif pictures:
            self.figure_grid([(png, title, alt_text) for png, title in pictures],
                             keep_with_next=True)

    def figure_grid(self, pictures: Sequence[tuple[bytes, str, str]], per_row: int = 2,
                    width_cm: float = TEXT_WIDTH_CM / 2 - 0.3,
                    keep_with_next: bool = False) -> None:
        """Small charts side by side (a borderless table), each with its numbered caption
        under it: (png, title, alt text). A row never breaks across pages."""
        width = TEXT_WIDTH_CM / per_row
        for start in range(0, len(pictures), per_row):
            table = self.doc.add_table(rows=1, cols=per_row)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            _cant_split(table.rows[0])
            for cell, (png, title, alt) in zip(table.rows[0].cells,
                                               pictures[start:start + per_row], strict=False):
                cell.width = Cm(width)
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
                paragraph.paragraph_format.keep_with_next = True
                set_alt_text(self.doc.inline_shapes[-1], title, alt)
                self.figure_count += 1
                caption = cell.add_paragraph(style="Caption")
                caption.add_run("Figur ")
                complex_field(caption, "SEQ Figur \\* ARABIC", str(self.figure_count))
                caption.add_run(f". {title}")
                caption.paragraph_format.keep_with_next = keep_with_next

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]],
              caption: str = "", fills: Mapping[tuple[int, int], str] | None = None,
              size: float = 9, groups: Mapping[int, str] | None = None,
              bold: Sequence[int] = (), keep_together: bool | None = None) -> Table:
        """A table with its caption above it, a shaded header row repeated on every page,
        rows that never break across pages and fixed column widths. `fills` shades cells
        (row, column) holding verdicts, which are always written in words too; a cell's
        text may hold a second line after '\\n', shown smaller and grey. `groups` maps a
        row index to a grouping heading written as a full-width row before it. A table of
        up to KEEP_TOGETHER rows is kept on one page (unless `keep_together` says
        otherwise)."""
        if caption:
            self.caption("Tabel", caption, keep_with_next=True)
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        _repeat_header(header)
        _cant_split(header)
        for cell, (name, _) in zip(header.cells, columns, strict=True):
            run = cell.paragraphs[0].add_run(name)
            run.bold = True
            run.font.size = Pt(size)
            shade(cell, HEADER_FILL)
        groups = groups or {}
        for i, values in enumerate(rows):
            if i in groups:
                row = table.add_row()
                _cant_split(row)
                merged = row.cells[0].merge(row.cells[-1])
                run = merged.paragraphs[0].add_run(groups[i])
                run.bold = True
                run.font.size = Pt(size)
                shade(merged, GROUP_FILL)
                _keep_row_with_next(row)
            row = table.add_row()
            _cant_split(row)
            for j, value in enumerate(values):
                first, _, second = str(value).partition("\n")
                paragraph = row.cells[j].paragraphs[0]
                run = paragraph.add_run(first)
                run.font.size = Pt(size)
                if j in bold:
                    run.bold = True
                if second:
                    run.add_break()
                    extra = paragraph.add_run(second)
                    extra.font.size = Pt(size - 1)
                    extra.font.color.rgb = GREY
                if fills and (i, j) in fills:
                    run.bold = True
                    shade(row.cells[j], fills[(i, j)])
        if keep_together if keep_together is not None else len(rows) <= KEEP_TOGETHER:
            for row in table.rows[:-1]:
                _keep_row_with_next(row)
        table.autofit = False  # fixed widths: Word and LibreOffice lay the table out alike
        for grid_col, (_, width) in zip(table._tbl.tblGrid.gridCol_lst, columns, strict=True):
            grid_col.w = Cm(width)
        for row in table.rows:
            cells = row.cells
            if len({id(c._tc) for c in cells}) == 1:  # a merged grouping row
                continue
            for cell, (_, width) in zip(cells, columns, strict=True):
                cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)
        return table

    # --- table of contents --------------------------------------------------------------

    def toc_here(self) -> None:
        """Mark where the table of contents goes; `finish` fills it in when every heading
        is known."""
        self._toc_at = self.doc.add_paragraph()

    def finish(self) -> bytes:
        """Fill in the table of contents and return the document as bytes."""
        if self._toc_at is not None:
            toc_field(self._toc_at, self.headings)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")  # Word fills in the page numbers on opening
        update.set(qn("w:val"), "true")
        settings.append(update)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


# --- set-up -------------------------------------------------------------------------------


def new_document(title: str, header_text: str, synthetic: bool, created: datetime) -> Writer:
    """An A4 document in Danish with Arial, heading and caption styles, the page header
    (title, synthetic-data mark) and 'Side x af y' in the footer of every page but the
    cover, and properties naming the CBs as author."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.different_first_page_header_footer = True  # the cover has no page number
    header = section.header.paragraphs[0]
    header.add_run(header_text).font.color.rgb = GREY
    for part in (section.header, section.first_page_header) if synthetic else ():
        line = part.add_paragraph() if part is section.header else part.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = line.add_run(SYNTHETIC_MARK)
        mark.bold = True
        mark.font.color.rgb = RED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Side ")
    complex_field(footer, "PAGE", "1")
    footer.add_run(" af ")
    complex_field(footer, "NUMPAGES", "1")
    set_properties(doc, title, created)
    return Writer(doc)


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
                 "Heading 4", "Caption", "List Bullet"):
        style = styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    rpr = styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)
    for name, size, before in (("Heading 1", 16, 18), ("Heading 2", 13, 14),
                               ("Heading 3", 11.5, 10), ("Heading 4", 10.5, 6)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = HEADING_BLUE
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    styles["Title"].font.size = Pt(28)
    styles["Title"].font.color.rgb = HEADING_BLUE
    subtitle = styles["Subtitle"]
    subtitle.font.size = Pt(13)
    subtitle.font.italic = False
    subtitle.font.color.rgb = GREY
    spacing = subtitle.element.rPr.find(qn("w:spacing"))
    if spacing is not None:  # the template spreads the letters; a subtitle reads better plain
        subtitle.element.rPr.remove(spacing)
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.italic = True
    caption.font.color.rgb = GREY
    caption.paragraph_format.space_after = Pt(8)
    for level in range(1, TOC_LEVELS + 1):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(3 if level == 1 else 1)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
        style.font.bold = level == 1


def set_properties(doc: DocxDocument, title: str, created: datetime) -> None:
    """Title, author 'Centralbibliotekerne', created and modified now, Danish; nothing
    about the library that wrote the file (python-docx's template says 'generated by
    python-docx' and carries a Word-for-Mac application name and a thumbnail)."""
    props = doc.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = created
    props.modified = created
    props.language = "da-DK"
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = extended_properties(title)


def extended_properties(title: str) -> bytes:
    """docProps/app.xml with the title and the company, and no application name."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes"><Company>{escape(AUTHOR)}</Company>'
            f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{escape(title)}'
            '</vt:lpstr></vt:vector></TitlesOfParts></Properties>').encode()


# --- XML the python-docx API lacks ---------------------------------------------------------


def shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _keep_row_with_next(row) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _field_char(kind: str) -> OxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str) -> OxmlElement:
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run.append(instr)
    return run


def complex_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ …) with its current result, which Word and
    LibreOffice update."""
    paragraph._p.append(_field_char("begin"))
    paragraph._p.append(_instruction(instruction))
    paragraph._p.append(_field_char("separate"))
    paragraph.add_run(cached)
    paragraph._p.append(_field_char("end"))


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(0 if paragraph._p.pPr is None else 1, start)
    paragraph._p.append(end)


def toc_field(at: Paragraph, headings: Sequence[tuple[int, str, str]]) -> None:
    """A Word table of contents (field TOC \\o "1-2" \\h \\z \\u) at `at`, whose current
    result already lists every heading as a link to it, so the list reads before Word
    updates the field and adds the page numbers (it does on opening: updateFields)."""
    if not headings:
        headings = [(1, "Indhold", "")]
    entries = []
    for level, text, name in headings:
        paragraph = at.insert_paragraph_before(style=f"toc {level}")
        entries.append(paragraph)
        link = OxmlElement("w:hyperlink")
        if name:
            link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        text_element = OxmlElement("w:t")
        text_element.set(qn("xml:space"), "preserve")
        text_element.text = text
        run.append(text_element)
        link.append(run)
        paragraph._p.append(link)
    first, last = entries[0], entries[-1]
    begin = [_field_char("begin"), _instruction(f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'),
             _field_char("separate")]
    anchor = first._p.pPr
    for element in reversed(begin):
        if anchor is not None:
            anchor.addnext(element)
        else:
            first._p.insert(0, element)
    last._p.append(_field_char("end"))
    at._p.getparent().remove(at._p)


def set_alt_text(shape, title: str, description: str) -> None:
    """The picture's alt text (what a screen reader reads, and Word shows as alt text)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("title", title)
    doc_pr.set("descr", description)


def cover(writer: Writer, title: str, subtitle: str, addressed: str, note: str,
          synthetic: bool) -> None:
    """The cover page: synthetic-data mark, title, subtitle, who submits it to whom, and a
    line for the date; no page number (the section's first page has none)."""
    if synthetic:
        mark = writer.doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(SYNTHETIC_MARK)
        run.bold = True
        run.font.size = Pt(20)
        run.font.color.rgb = RED
    for _ in range(6):
        writer.doc.add_paragraph()
    writer.doc.add_paragraph(title, style="Title")
    writer.doc.add_paragraph(subtitle, style="Subtitle")
    writer.doc.add_paragraph()
    writer.paragraph(addressed, size=12)
    writer.paragraph(note, colour=GREY)
    writer.page_break()
