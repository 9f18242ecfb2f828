"""Importing residents and party members from Excel (.xlsx) and CSV: issue 3, first layer.

What exists (reading, normalising, validating; nothing here writes to the database):
- columns.py   the two templates (居民 13 columns, 党员 9 columns) and tolerant header matching:
               any order, full-width/space tolerant, unknown columns ignored and reported,
               missing required columns a Chinese error naming them.
- reader.py    streaming readers yielding (row number, {column: value}): .xlsx through
               python-calamine (openpyxl read-only as fallback), .csv in UTF-8 (BOM or not) or
               GBK/GB18030.
- normalize.py cell values to domain values: text, ID numbers, dates in six styles and Excel
               serials, 性别 / 党员类型 / 是否在外 / 政治面貌 labels.
- places.py    names of 社区/小区/楼栋/单元 and 党组织 resolved inside the importer's Scope with
               one or two queries per file.
- validate.py  validate_residents / validate_members: every problem of every row (Chinese, naming
               the column), duplicates inside the file, new / updated / unchanged against the
               database by the ID number's blind index, in batches of BATCH_SIZE rows.
- result.py    ImportResult: counts, problems by row number, ignored columns.
- report.py    the error report .xlsx (the rows as read plus 「问题」, problem rows highlighted).
- apply.py     residents_import_apply / members_import_apply: validate, and only when every row
               is clean stream the file again and write it all or nothing in one transaction
               (batched bulk writes with history rows by the importing user, households from
               房号, members and 报到, counters recounted, ANALYZE after large loads).

What comes next (issue 3):
- background jobs with progress (in-process by default, Celery when REDIS_URL is set);
- the import page (upload, preview with counts and ignored columns, confirm, download the
  error report and the blank templates) and the export in the same template format.
"""
