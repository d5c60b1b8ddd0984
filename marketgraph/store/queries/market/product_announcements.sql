-- Data-centre product announcements per segment and year (see the product_announcements view).
SELECT chip_id, year, segment, vendor_id, fp16e_tflops FROM product_announcements ORDER BY segment, year, chip_id
