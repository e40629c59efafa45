-- Reference data for the two seed programmes (an assumption to be corrected by the office):
-- the provincial warehouse, the district office, the materials, the 3-layer sasirangan cloth
-- mask and the PPE (APD) set, each with bill of materials version 1. Fixed ids and codes so
-- every installation agrees; 1589760000000000 = 2020-05-18T00:00:00Z in microseconds.

INSERT INTO locations (location_id, kind, name, district, trainee_id, trainee_subject, created_at) VALUES
    ('c1000000-0000-4000-8000-000000000001', 1, 'Gudang Dinas Perindustrian Provinsi Kalimantan Selatan', 'Banjarbaru', NULL, '', 1589760000000000),
    ('c1000000-0000-4000-8000-000000000002', 2, 'Kantor Disperindagkop-UKM Hulu Sungai Utara', 'Hulu Sungai Utara', NULL, '', 1589760000000000);

INSERT INTO materials (material_id, code, name, base_unit, description, created_at) VALUES
    ('a1000000-0000-4000-8000-000000000001', 'FAB-SASIRANGAN-110', 'Kain sasirangan, lebar 110 cm', 4, 'Outer layer of the cloth mask; counted in square centimetres.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000002', 'FAB-COTTON-150', 'Kain katun putih, lebar 150 cm', 4, 'Inner layers of the cloth mask; counted in square centimetres.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000003', 'ELASTIC-EARLOOP', 'Tali karet telinga, potongan 18 cm', 1, 'Ear loops cut to size.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000004', 'THREAD-POLY', 'Benang jahit poliester', 3, 'Sewing thread; counted in centimetres.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000005', 'FAB-SPUNBOND-75', 'Kain spunbond 75 gsm', 4, 'Non-woven fabric for gown, cap and shoe covers; counted in square centimetres.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000006', 'ELASTIC-FLAT-6MM', 'Karet pipih 6 mm', 3, 'Elastic for cuffs, cap and shoe covers; counted in centimetres.', 1589760000000000),
    ('a1000000-0000-4000-8000-000000000007', 'TAPE-TIE-10MM', 'Tali pita 10 mm', 3, 'Gown ties; counted in centimetres.', 1589760000000000);

INSERT INTO products (product_id, code, name, unit_name, medical, current_bom_version, created_at) VALUES
    ('b1000000-0000-4000-8000-000000000001', 'MASK-SASIRANGAN-3PLY', 'Masker kain 3 lapis sasirangan', 'mask', 0, 1, 1589760000000000),
    ('b1000000-0000-4000-8000-000000000002', 'APD-SET', 'Set APD: gaun, penutup kepala, penutup sepatu', 'set', 1, 1, 1589760000000000);

INSERT INTO bom_versions (product_id, version, note, created_at) VALUES
    ('b1000000-0000-4000-8000-000000000001', 1, 'Reference data: assumption to be corrected by the office', 1589760000000000),
    ('b1000000-0000-4000-8000-000000000002', 1, 'Reference data: assumption to be corrected by the office', 1589760000000000);

-- Mask: 320 cm2 sasirangan (one 20 x 16 cm panel), 600 cm2 cotton (two panels), 2 ear loops,
-- 500 cm thread; waste 10 %, 10 %, 5 %, 10 %.
INSERT INTO bom_lines (product_id, version, material_id, quantity_per_unit, waste_per_mille) VALUES
    ('b1000000-0000-4000-8000-000000000001', 1, 'a1000000-0000-4000-8000-000000000001', 320, 100),
    ('b1000000-0000-4000-8000-000000000001', 1, 'a1000000-0000-4000-8000-000000000002', 600, 100),
    ('b1000000-0000-4000-8000-000000000001', 1, 'a1000000-0000-4000-8000-000000000003', 2, 50),
    ('b1000000-0000-4000-8000-000000000001', 1, 'a1000000-0000-4000-8000-000000000004', 500, 100);

-- PPE set: 17000 cm2 spunbond (gown 14000, cap 1000, shoe covers 2000), 120 cm flat elastic,
-- 2000 cm thread, 200 cm tie tape; waste 8 %, 5 %, 10 %, 5 %.
INSERT INTO bom_lines (product_id, version, material_id, quantity_per_unit, waste_per_mille) VALUES
    ('b1000000-0000-4000-8000-000000000002', 1, 'a1000000-0000-4000-8000-000000000005', 17000, 80),
    ('b1000000-0000-4000-8000-000000000002', 1, 'a1000000-0000-4000-8000-000000000006', 120, 50),
    ('b1000000-0000-4000-8000-000000000002', 1, 'a1000000-0000-4000-8000-000000000004', 2000, 100),
    ('b1000000-0000-4000-8000-000000000002', 1, 'a1000000-0000-4000-8000-000000000007', 200, 50);
