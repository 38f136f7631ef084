"""Documents the product prints: PDF (fpdf2 with an embedded Chinese font) and Excel (openpyxl) helpers.

One place for every package: the monthly circular, supervision letters, the printable ticket. See
docs/dev/decisions/pdf-documents.md for why fpdf2 and which font.
"""

from jiesu.core.documents.fonts import FontFile, FontMissing, chinese_font
from jiesu.core.documents.pdf import Column, PdfDocument

__all__ = ["Column", "FontFile", "FontMissing", "PdfDocument", "chinese_font"]
