-- The segments each chip serves (a both-positioned chip serves training and inference).
SELECT chip_id, segment FROM chip_segments
