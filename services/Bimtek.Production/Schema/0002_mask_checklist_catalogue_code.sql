-- The materials catalogue names the cloth mask MASK-SASIRANGAN-3PLY; 0001 seeded its checklist
-- under an earlier draft code. Give the catalogue code the same checklist (the old rows stay).
INSERT INTO defect_checklists (product_code, updated_at)
SELECT 'MASK-SASIRANGAN-3PLY', updated_at FROM defect_checklists WHERE product_code = 'MASK-SASIRANGAN-3L'
ON CONFLICT (product_code) DO NOTHING;

INSERT INTO defect_codes (product_code, code, label, label_en, medical_standard, position, active)
SELECT 'MASK-SASIRANGAN-3PLY', code, label, label_en, medical_standard, position, active
FROM defect_codes WHERE product_code = 'MASK-SASIRANGAN-3L'
ON CONFLICT (product_code, code) DO NOTHING;
