-- ordered
-- get_json_object on built documents: nested members, array indexes, quoted names, numbers
-- and booleans as JSON text, objects and arrays as compact JSON, JSON null, missing members
-- and malformed text as NULL
SELECT "offset",
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.e.customer_id') AS nested,
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.n[1]') AS idx,
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.n[2]') AS bool_text,
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.n[3]') AS json_null,
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.n') AS arr,
       get_json_object('{"a b": {"k": [ 7 , "x" ]}}', '$."a b"') AS obj,
       get_json_object('{"e":' || value || ',"n":[1,2.5,true,null]}', '$.n[9]') AS past_end,
       get_json_object(substring(value, 1, 40), '$.event_id') AS cut_short,
       get_json_object(NULL, '$.event_id') AS null_doc
FROM bronze.kafka_events
WHERE partition = 2
ORDER BY "offset"
LIMIT 25
