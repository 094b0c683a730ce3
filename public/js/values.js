// The fixed value lists, as cgi/lib/values.h has them (codes and labels in
// the same order); tests/http/values.test.mjs checks the two agree and that
// the database's ENUM and SET definitions hold the same codes.
export const CALL_KINDS = {
  trade_fair: 'Hội chợ, triển lãm',
  brand_registration: 'Đăng ký nhãn hiệu, thương hiệu',
  label_printing: 'Thiết kế, in nhãn mác, bao bì',
  demo_model: 'Mô hình trình diễn kỹ thuật',
  training: 'Đào tạo, tập huấn',
};

export const APP_STATUSES = {
  submitted: 'Đã nộp',
  under_review: 'Đang xem xét',
  approved: 'Được duyệt',
  rejected: 'Không được duyệt',
  withdrawn: 'Đã rút',
};

export const AWARD_LEVELS = {
  commune: 'Cấp xã',
  district: 'Cấp huyện',
  province: 'Cấp tỉnh',
  region: 'Cấp khu vực',
  national: 'Cấp quốc gia',
};

export const STAFF_ROLES = {
  admin: 'Quản trị',
  reviewer: 'Duyệt hồ sơ',
  finance: 'Tài chính',
  importer: 'Nhập danh sách',
  auditor: 'Kiểm tra',
};

export const ACTIVITY_STATUSES = {
  planned: 'Chưa triển khai',
  in_progress: 'Đang thực hiện',
  done: 'Hoàn thành',
  cancelled: 'Đã huỷ',
};

export const PLAN_STATUSES = {
  draft: 'Bản nháp',
  published: 'Đã công bố',
};

export const FACILITY_KINDS = {
  household: 'Hộ kinh doanh',
  cooperative: 'Hợp tác xã',
  enterprise: 'Doanh nghiệp',
};
