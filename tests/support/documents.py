"""What a person reads in a report file: the text of each PDF page, of each slide (text
boxes, shapes, table cells, chart titles, categories and series names) and the cells of a
workbook."""

import io

from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


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
