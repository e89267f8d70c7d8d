//! The chain's refusals in Turkish, as the screens and the CLI tell them (each names the field or the step,
//! and says nothing was written).

use super::{Action, ApprovalError};

impl Action {
    /// The step as a refusal names it ("… gönderilemez").
    fn verb_tr(self) -> &'static str {
        match self {
            Action::Create => "oluşturulamaz",
            Action::Update => "düzenlenemez",
            Action::Submit => "onaya gönderilemez",
            Action::Approve => "paraflanamaz",
            Action::Return => "iade edilemez",
            Action::Sign => "imzalanamaz",
        }
    }
}

impl ApprovalError {
    /// What the user reads.
    pub fn message_tr(&self) -> String {
        let m = match self {
            ApprovalError::NotFound { id } => format!("#{id} numaralı bir taslak yok."),
            ApprovalError::NoRole { roles, .. } => format!(
                "Bu adım için yetkiniz yok: şu rollerden biri gerekir: {}.",
                roles.iter().map(|r| r.label_tr()).collect::<Vec<_>>().join(", ")
            ),
            ApprovalError::NotAuthor { id, author } => {
                format!("Taslak #{id} {author} kullanıcısının: yalnızca hazırlayanı düzenleyip onaya gönderebilir.")
            }
            ApprovalError::NotYourTurn { id, awaiting, .. } => match awaiting {
                Some(a) => format!("Taslak #{id} şu anda {a} kullanıcısında bekliyor; bu adım sizin değil."),
                None => format!("Taslak #{id} kimsede beklemiyor; bu adım sizin değil."),
            },
            ApprovalError::WrongState { id, state, action } => {
                format!("Taslak #{id} {} durumunda: {}.", state.label_tr(), action.verb_tr())
            }
            ApprovalError::Stale { id, given, current } => format!(
                "Taslak #{id}, siz sayfayı açtıktan sonra başka bir kullanıcı tarafından ilerletildi (sürüm {given}, şimdi {current}). Taslağı yeniden açıp tekrar deneyin."
            ),
            ApprovalError::BadChainUser { field, username, role } => format!(
                "{field}: \"{username}\" {} rolü olan etkin bir kullanıcı değil.",
                role.label_tr()
            ),
            ApprovalError::NoSigner => {
                "imza: İmzalayacak kullanıcı seçilmedi ve office.toml [approval] imza ayarı yok.".into()
            }
            ApprovalError::EkNotRegistered { position } => {
                format!("ek[{position}]: Ek, kayıtlı bir evrak olmalı (örn. #12).")
            }
            ApprovalError::Unknown { field, key } => format!("{field}: \"{key}\" kayıtlarda yok."),
            ApprovalError::EkPages { position, doc, stated, actual } => format!(
                "ek[{position}]: Ek satırı {stated} sayfa diyor, ama #{doc} numaralı evrak {actual} sayfa. Sayfa sayısını düzeltin."
            ),
            ApprovalError::EkNoFile { position, doc } => {
                format!("ek[{position}]: #{doc} numaralı evrakın saklanan dosyası yok; ek olarak eklenemez.")
            }
            ApprovalError::NoteRequired => {
                "not: İade ederken neyin düzeltileceğini yazın (1–2000 karakter).".into()
            }
            ApprovalError::Field { field, problem } => format!("{field}: {problem}."),
            ApprovalError::NonceUsed => "Bu form daha önce kullanıldı; yeni bir taslak formu açın.".into(),
        };
        format!("{m} Hiçbir şey kaydedilmedi.")
    }
}
