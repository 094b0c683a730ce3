// The world the payments fixture (tests/fixtures/payments/) names: the
// 2020 plan's first content area, three facilities (one by tax code, two
// by name and district) and the application KT-PAYFIXA of the first, made
// once per database (the file's codes are fixed).
import { sql } from '../lib.mjs';

export const TAX_B = '3012345678';
const q = (v) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const one = (query) => sql(query)[0]?.[0];
const unitId = (code) => one(`SELECT id FROM admin_unit WHERE code = '${code}' AND level = 'district'`);

// The facilities and the application the fixture names (made once per
// database: the file's codes are fixed).
export function fixtureWorld() {
  sql(`INSERT IGNORE INTO plan (year, title, total_vnd) VALUES (2020, 'Kế hoạch 2020', 2080000000);
    INSERT IGNORE INTO plan_content (year, code, title) VALUES (2020, '1', 'Tư vấn, tập huấn, đào tạo')`);
  sql(`INSERT IGNORE INTO facility (ident, name, name_fold, unit_id) VALUES
      ('name:co so moc thai yen thu|440', 'Cơ sở Mộc Thái Yên Thử', 'co so moc thai yen thu', ${unitId('440')}),
      ('name:hop tac xa non la thu|443', 'Hợp tác xã Nón Lá Thử', 'hop tac xa non la thu', ${unitId('443')});
    INSERT IGNORE INTO facility (ident, name, name_fold, tax_code, kind, unit_id)
      VALUES ('tax:${TAX_B}', 'Công ty TNHH Gốm Thử', 'cong ty tnhh gom thu', '${TAX_B}', 'enterprise', ${unitId('445')})`);
  const fac = (ident) => Number(one(`SELECT id FROM facility WHERE ident = ${q(ident)}`));
  const w = { a: fac('name:co so moc thai yen thu|440'), b: fac(`tax:${TAX_B}`), c: fac('name:hop tac xa non la thu|443') };
  if (!one("SELECT id FROM application WHERE ref_code = 'KT-PAYFIXA'")) {
    sql(`INSERT INTO support_call (year, kind, title, opens_at, closes_at, max_support_vnd)
        VALUES (2020, 'demo_model', 'Đợt thử giải ngân 2020', '2020-03-01', '2020-04-01', 50000000);
      INSERT INTO application (ref_code, call_id, facility_id, facility_name, phone, unit_id, unit_code, requested_vnd, products, token_hash)
        VALUES ('KT-PAYFIXA', LAST_INSERT_ID(), ${w.a}, 'Cơ sở Mộc Thái Yên Thử', '0912345678', ${unitId('440')}, '440', 20000000, '["Bàn ghế gỗ"]', REPEAT('0', 64))`);
  }
  w.app = Number(one("SELECT id FROM application WHERE ref_code = 'KT-PAYFIXA'"));
  return w;
}

