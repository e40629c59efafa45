// @ts-check
/** Texts in Indonesian (default) and English, and number/date formats of the chosen locale. */

/** @typedef {'id' | 'en'} Lang */

/** @type {Record<Lang, Record<string, string>>} */
const texts = {
  id: {
    appTitle: 'Dasbor Bimtek',
    language: 'Bahasa',
    signIn: 'Masuk',
    signOut: 'Keluar',
    signInIntro: 'Masuk dengan kunci API atau token (JWT) Anda. Kredensial hanya disimpan di tab ini.',
    credentialKind: 'Jenis kredensial',
    apiKey: 'Kunci API',
    bearerToken: 'Token (JWT)',
    credential: 'Kredensial',
    signInFailed: 'Gagal masuk: kredensial ditolak.',
    signInPeople: 'Masuk dengan akun Anda',
    signInPeopleIntro: 'Peserta, instruktur, ahli kesehatan, operator dan penerima masuk dengan kata sandi atau kode sekali pakai.',
    signInWithAccount: 'Masuk dengan akun',
    signInOffice: 'Komputer kantor: kunci API',
    signInCallbackFailed: 'Gagal masuk lewat layanan identitas. Silakan coba lagi.',
    sessionEnded: 'Sesi Anda berakhir. Silakan masuk lagi.',
    awaitingSignOff: 'Menunggu pengesahan ahli kesehatan',
    nothingAwaitsSignOff: 'Tidak ada yang menunggu pengesahan.',
    awaitingSignOffUnits: 'menunggu pengesahan',
    inspected: 'diperiksa',
    signOffAll: 'Sahkan semua',
    signOffNote: 'Memenuhi standar medis',
    signedOff: 'Disahkan',
    myHandovers: 'Serah terima',
    receivedGoods: 'Barang yang diserahkan kepada instansi Anda',
    confirmReceipt: 'Konfirmasi penerimaan',
    receiptConfirmed: 'Penerimaan dikonfirmasi',
    programmes: 'Program',
    myPage: 'Halaman saya',
    loading: 'Memuat…',
    notAvailable: 'Tidak tersedia',
    denied: 'Akses ditolak: Anda tidak berhak melihat halaman ini.',
    error: 'Terjadi kesalahan',
    status: 'Status',
    dates: 'Tanggal',
    product: 'Produk',
    trainees: 'Peserta',
    target: 'Target',
    acceptedSoFar: 'Diterima sejauh ini',
    noProgrammes: 'Belum ada program.',
    open: 'Buka',
    back: 'Kembali ke daftar program',
    summary: 'Ringkasan',
    traineeProgress: 'Kemajuan peserta',
    quota: 'Kuota',
    accepted: 'Diterima',
    awaiting: 'Menunggu pemeriksaan',
    produced: 'Diproduksi',
    rejected: 'Ditolak',
    expectedByToday: 'Target s.d. hari ini',
    asOf: 'per',
    behind: 'Tertinggal',
    onTrack: 'Sesuai jadwal',
    withdrawn: 'Mengundurkan diri',
    scheduleVisit: 'Jadwalkan kunjungan rumah',
    visitScheduled: 'Kunjungan rumah dijadwalkan',
    issueCode: 'Buat kode masuk',
    noLogin: 'Peserta ini belum punya akun.',
    signInCode: 'Kode masuk (hanya ditampilkan sekali):',
    until: 'berlaku sampai',
    signInLink: 'Tautan masuk',
    qrCard: 'Kartu QR untuk masuk',
    live: 'Langsung',
    reconnecting: 'Menyambung ulang…',
    dailyOutput: 'Produksi harian',
    reported: 'Dilaporkan',
    defects: 'Cacat menurut kode',
    noDefects: 'Tidak ada cacat tercatat.',
    units: 'unit',
    materials: 'Bahan di rumah peserta dan cek rendemen',
    material: 'Bahan',
    onHand: 'Tersedia',
    consumed: 'Terpakai',
    allowed: 'Batas (dengan sisa)',
    yieldOk: 'Rendemen wajar',
    yieldOver: 'Melebihi batas',
    handovers: 'Serah terima',
    noHandovers: 'Belum ada serah terima.',
    document: 'Dokumen',
    recipient: 'Penerima',
    day: 'Hari',
    pdf: 'Berita acara (PDF)',
    lessons: 'Pelajaran',
    completed: 'Selesai',
    needHelp: 'Saya perlu bantuan',
    helpDescription: 'Apa yang sulit?',
    helpSent: 'Permintaan bantuan terkirim. Instruktur akan menghubungi Anda.',
    send: 'Kirim',
    yourQuota: 'Kuota Anda',
    quotaEstimated: 'perkiraan (pembagian rata)',
    yourProgress: 'Kemajuan Anda',
    noEnrolment: 'Anda belum terdaftar di program mana pun.',
    legendPace: 'garis = target s.d. hari ini',
    PROGRAMME_STATUS_DRAFT: 'Draf',
    PROGRAMME_STATUS_ACTIVE: 'Berjalan',
    PROGRAMME_STATUS_COMPLETED: 'Selesai',
    PROGRAMME_STATUS_CANCELLED: 'Dibatalkan',
    HANDOVER_STATUS_ISSUED: 'Diserahkan',
    HANDOVER_STATUS_CONFIRMED: 'Dikonfirmasi',
    HANDOVER_STATUS_CANCELLED: 'Dibatalkan',
  },
  en: {
    appTitle: 'Bimtek dashboard',
    language: 'Language',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signInIntro: 'Sign in with your API key or token (JWT). The credential is kept in this tab only.',
    credentialKind: 'Credential kind',
    apiKey: 'API key',
    bearerToken: 'Token (JWT)',
    credential: 'Credential',
    signInFailed: 'Sign-in failed: the credential was refused.',
    signInPeople: 'Sign in with your account',
    signInPeopleIntro: 'Trainees, instructors, health experts, operators and recipients sign in with a password or a one-time code.',
    signInWithAccount: 'Sign in with account',
    signInOffice: "The office's own machines: API key",
    signInCallbackFailed: 'Signing in through the identity service failed. Please try again.',
    sessionEnded: 'Your session ended. Please sign in again.',
    awaitingSignOff: "Awaiting a health expert's sign-off",
    nothingAwaitsSignOff: 'Nothing awaits sign-off.',
    awaitingSignOffUnits: 'awaiting sign-off',
    inspected: 'inspected',
    signOffAll: 'Sign off all',
    signOffNote: 'Meets the medical standard',
    signedOff: 'Signed off',
    myHandovers: 'Handovers',
    receivedGoods: 'Goods handed over to your agency',
    confirmReceipt: 'Confirm receipt',
    receiptConfirmed: 'Receipt confirmed',
    programmes: 'Programmes',
    myPage: 'My page',
    loading: 'Loading…',
    notAvailable: 'Not available',
    denied: 'Access denied: you may not see this page.',
    error: 'Something went wrong',
    status: 'Status',
    dates: 'Dates',
    product: 'Product',
    trainees: 'Trainees',
    target: 'Target',
    acceptedSoFar: 'Accepted so far',
    noProgrammes: 'No programmes yet.',
    open: 'Open',
    back: 'Back to the programmes',
    summary: 'Summary',
    traineeProgress: 'Trainee progress',
    quota: 'Quota',
    accepted: 'Accepted',
    awaiting: 'Awaiting inspection',
    produced: 'Produced',
    rejected: 'Rejected',
    expectedByToday: 'Expected by today',
    asOf: 'as of',
    behind: 'Behind schedule',
    onTrack: 'On track',
    withdrawn: 'Withdrawn',
    scheduleVisit: 'Schedule home visit',
    visitScheduled: 'Home visit scheduled',
    issueCode: 'Issue sign-in code',
    noLogin: 'This trainee has no account yet.',
    signInCode: 'Sign-in code (shown once):',
    until: 'valid until',
    signInLink: 'Sign-in link',
    qrCard: 'QR card to sign in',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    dailyOutput: 'Daily output',
    reported: 'Reported',
    defects: 'Defects by code',
    noDefects: 'No defects recorded.',
    units: 'units',
    materials: 'Material at trainee homes and the yield check',
    material: 'Material',
    onHand: 'On hand',
    consumed: 'Consumed',
    allowed: 'Allowed (with waste)',
    yieldOk: 'Yield fine',
    yieldOver: 'Over allowance',
    handovers: 'Handovers',
    noHandovers: 'No handovers yet.',
    document: 'Document',
    recipient: 'Recipient',
    day: 'Day',
    pdf: 'Handover record (PDF)',
    lessons: 'Lessons',
    completed: 'Completed',
    needHelp: 'I need help',
    helpDescription: 'What is difficult?',
    helpSent: 'Help request sent. An instructor will contact you.',
    send: 'Send',
    yourQuota: 'Your quota',
    quotaEstimated: 'estimate (even split)',
    yourProgress: 'Your progress',
    noEnrolment: 'You are not enrolled in any programme.',
    legendPace: 'line = expected by today',
    PROGRAMME_STATUS_DRAFT: 'Draft',
    PROGRAMME_STATUS_ACTIVE: 'Active',
    PROGRAMME_STATUS_COMPLETED: 'Completed',
    PROGRAMME_STATUS_CANCELLED: 'Cancelled',
    HANDOVER_STATUS_ISSUED: 'Issued',
    HANDOVER_STATUS_CONFIRMED: 'Confirmed',
    HANDOVER_STATUS_CANCELLED: 'Cancelled',
  },
};

/**
 * More texts for another page of the suite (the field app adds its own). @param {Record<Lang, Record<string, string>>} extra
 */
export function addTexts(extra) {
  Object.assign(texts.id, extra.id);
  Object.assign(texts.en, extra.en);
}

/** @type {Lang} */
let current = (localStorage.getItem('bimtek.lang') ?? sessionStorage.getItem('bimtek.lang')) === 'en' ? 'en' : 'id';

/** @returns {Lang} */
export function lang() {
  return current;
}

/** @param {Lang} value */
export function setLang(value) {
  current = value;
  sessionStorage.setItem('bimtek.lang', value);
  localStorage.setItem('bimtek.lang', value);
  document.documentElement.lang = value;
}

/** The text for a key in the chosen language (the key itself when unknown). @param {string} key */
export function t(key) {
  return texts[current][key] ?? key;
}

/** @param {number | string | undefined} value */
export function num(value) {
  return new Intl.NumberFormat(locale()).format(Number(value ?? 0));
}

/** A google.type.Date ({year, month, day}) in the chosen locale. @param {{year?: number, month?: number, day?: number} | undefined} date */
export function date(date, style = /** @type {'medium' | 'short'} */ ('medium')) {
  if (!date || !date.year) {
    return '–';
  }
  const utc = new Date(Date.UTC(date.year, (date.month ?? 1) - 1, date.day ?? 1));
  return new Intl.DateTimeFormat(locale(), { dateStyle: style, timeZone: 'UTC' }).format(utc);
}

/** @param {string | undefined} iso */
export function dateTime(iso) {
  return iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '–';
}

function locale() {
  return current === 'id' ? 'id-ID' : 'en-GB';
}
