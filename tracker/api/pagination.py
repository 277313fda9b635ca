from rest_framework.pagination import PageNumberPagination

from tracker.pagination import PageFirstPaginator


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200, so no request can ask for everything)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PageFirstPagination(StandardPagination):
    """StandardPagination for lists whose page brings its count (PageFirstPaginator)."""

    django_paginator_class = PageFirstPaginator
