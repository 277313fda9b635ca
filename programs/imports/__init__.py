"""Spreadsheets in: milestones (工程表), KPI measurements and country actions from the XLSX or
CSV files officers keep, through the same services as every other write.

    reading.py    file -> rows, refusing files that are not plain spreadsheets
    parsing.py    headings, labels, dates -> typed values
    planning.py   rows -> what each would do (new / changed / unchanged / refused), unwritten
    kind.py and milestones.py, measurements.py, country_actions.py: each kind's columns,
                  planning and template rows
    applying.py   the accepted rows through the services, in one transaction
    template.py   the XLSX to start from, in exactly the import's format
    uploads.py    a file kept between the preview and the officer's confirmation
"""
