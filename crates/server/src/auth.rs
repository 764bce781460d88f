//! Device tokens, invite codes, and who is asking.
//!
//! A device token is 256 random bits, shown once to the device and stored only as its SHA-256
//! hash, so a copy of the database cannot be used to sign in. Invite codes are short and easy to
//! read aloud: eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
//! `ABCD-EFGH`; joining is rate-limited so they cannot be guessed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use buurtbel_core::ids::{DeviceId, MemberId, TeamId};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::Refused;
use crate::error::ApiError;

/// The characters of invite codes: no 0/O, 1/I/L, so a code survives being read aloud.
pub const INVITE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in an invite code (without the dash).
pub const INVITE_LEN: usize = 8;

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| ApiError::Internal("no randomness available"))?;
    Ok(bytes)
}

/// A new device token (hex of 32 random bytes) and its hash for storage.
pub fn new_token() -> Result<(String, [u8; 32]), ApiError> {
    let bytes: [u8; 32] = random_bytes()?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// The stored form of a token.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A new invite code, normalized (no dash).
pub fn new_invite_code() -> Result<String, ApiError> {
    // Rejection sampling keeps every character equally likely.
    let mut code = String::with_capacity(INVITE_LEN);
    while code.len() < INVITE_LEN {
        let [byte] = random_bytes::<1>()?;
        let limit = 256 - 256 % INVITE_ALPHABET.len();
        if usize::from(byte) < limit {
            code.push(char::from(
                INVITE_ALPHABET[usize::from(byte) % INVITE_ALPHABET.len()],
            ));
        }
    }
    Ok(code)
}

/// An invite code as people see it: `ABCD-EFGH`.
pub fn display_invite_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(4));
    if b.is_empty() {
        a.to_owned()
    } else {
        format!("{a}-{b}")
    }
}

/// An invite code as typed (any case, spaces, dashes) in its stored form, or `None` if it
/// cannot be a code.
pub fn normalize_invite_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == INVITE_LEN && code.bytes().all(|b| INVITE_ALPHABET.contains(&b))).then_some(code)
}

/// The device behind a request's bearer token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceAuth {
    /// The device's team: every query of the request is scoped to it.
    pub team: TeamId,
    /// The device.
    pub device: DeviceId,
    /// The member using it.
    pub member: MemberId,
    /// Whether the device may manage invites and devices.
    pub admin: bool,
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let hash = hash_token(token);
        let now = crate::now_ms();
        state
            .storage(move |s| s.authenticate(&hash, now))
            .await?
            .map_err(|refused| match refused {
                Refused::Unknown => ApiError::Unauthorized,
                Refused::Wiped => ApiError::Wiped,
            })
    }
}

/// A device making a sync request: authenticated, within its rate limit and its requests in
/// flight. An extractor of the request's head, so it runs before the body is read: a device
/// over its limit costs the server no body to buffer or parse.
#[derive(Debug)]
pub struct SyncAuth {
    /// The device.
    pub auth: DeviceAuth,
    _permit: crate::ratelimit::Permit<DeviceId>,
}

impl FromRequestParts<AppState> for SyncAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = DeviceAuth::from_request_parts(parts, state).await?;
        if !state.sync_by_device.check(&auth.device) {
            return Err(ApiError::TooManyRequests);
        }
        let permit = state
            .in_flight
            .enter(&auth.device)
            .ok_or(ApiError::TooManyRequests)?;
        Ok(SyncAuth {
            auth,
            _permit: permit,
        })
    }
}

/// An admin device; other devices get 403.
#[derive(Clone, Copy, Debug)]
pub struct AdminAuth(pub DeviceAuth);

impl FromRequestParts<AppState> for AdminAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = DeviceAuth::from_request_parts(parts, state).await?;
        if auth.admin {
            Ok(AdminAuth(auth))
        } else {
            Err(ApiError::Forbidden("only a team admin may do this"))
        }
    }
}

/// The client's IP address, for rate limits. Requests that did not come over a socket (tests
/// through the router) count as 0.0.0.0.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientIp(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_are_readable_and_typing_is_forgiving() {
        for _ in 0..100 {
            let code = new_invite_code().expect("random");
            assert_eq!(code.len(), INVITE_LEN);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
            let shown = display_invite_code(&code);
            assert_eq!(shown.len(), 9);
            assert_eq!(
                normalize_invite_code(&shown.to_lowercase()),
                Some(code.clone())
            );
            assert_eq!(
                normalize_invite_code(&format!(" {} ", shown.replace('-', " "))),
                Some(code)
            );
        }
        assert_eq!(
            normalize_invite_code("ABCD-EFG0"),
            None,
            "0 is never in a code"
        );
        assert_eq!(normalize_invite_code("ABC"), None);
    }

    #[test]
    fn tokens_have_256_bits_and_only_their_hash_is_kept() {
        let (a, hash) = new_token().expect("random");
        let (b, _) = new_token().expect("random");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash, hash_token(&a));
        assert_ne!(hash.as_slice(), a.as_bytes());
    }
}
