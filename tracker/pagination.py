"""Paging that reads less."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class PageFirstPaginator(Paginator):
    """Reads the page before the count, for object lists whose page brings the count along
    (a window `COUNT(*) OVER ()` in the page's query: the matching rows are found once, not
    once to count and again to rank). Past the last page it counts, as Paginator does, to
    say so."""

    def page(self, number: int | str) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom:bottom + self.per_page]
        if not rows:
            return super().page(number)
        return Page(rows, number, self)
