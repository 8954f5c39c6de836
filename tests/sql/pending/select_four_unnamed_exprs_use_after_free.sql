-- pending: binder: heap-use-after-free under ASan in make_schema (sql_binder.c:183, strcmp on a name freed by the mdl_realloc in bind_select, sql_binder.c:1771) when the select list has four or more unnamed expressions (generated names col1, col2, ...)
SELECT quantity + 1, quantity + 2, quantity + 3, quantity * 4 FROM bronze.snowflake_orders
