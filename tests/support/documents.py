"""What a person reads in a report file: the text of each PDF page, of each slide (text
boxes, shapes, table cells, chart titles, categories and series names) and the cells of a
workbook."""

import io

from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_fonts(content):
    """{font name: whether the file carries the font program} for the fonts the pages and
    their forms use; a font not carried is one the viewer must supply (`pdffonts`' emb)."""
    fonts, seen = {}, set()

    def visit(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                descendant.get_object().get("/FontDescriptor")
                for descendant in font.get("/DescendantFonts") or []]
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor.get_object() for descriptor in descriptors if descriptor
                for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in (resources.get("/XObject") or {}).values():
            if id(xobject.get_object()) not in seen:
                seen.add(id(xobject.get_object()))
                visit(xobject.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(content)).pages:
        visit(page.get("/Resources"))
    return fonts


def shape_texts(shape):
    """Every text a shape shows, each table cell and chart label on its own."""
    if shape.has_text_frame:
        return [shape.text_frame.text]
    if shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    if shape.has_chart:
        chart = shape.chart
        title = [chart.chart_title.text_frame.text] if chart.has_title else []
        return [*title, *[str(c) for c in chart.plots[0].categories],
                *[series.name for series in chart.plots[0].series]]
    return []


def slide_texts(content):
    """Each slide's texts."""
    return [[text for shape in slide.shapes for text in shape_texts(shape)]
            for slide in Presentation(io.BytesIO(content)).slides]


def workbook_cells(content):
    """Every filled cell of every sheet."""
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None]
