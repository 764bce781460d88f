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
            .map(|d| DeviceAuth {
                team: d.team,
                device: d.device,
                member: d.member,
                admin: d.admin,
            })
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
        if !auth.admin {
            return Err(ApiError::Forbidden("only a team admin may do this"));
        }
        if !state.admin_by_device.check(&auth.device) {
            return Err(ApiError::TooManyRequests);
        }
        Ok(AdminAuth(auth))
    }
}

/// The client's address: the peer of the connection, or, when the peer is a trusted proxy,
/// the address it forwarded in `X-Forwarded-For` (the last one no trusted proxy added).
/// `None` when the request came over no socket (tests through the router): such a client is
/// never "this machine".
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// Whether the client is this machine (a loopback address, after trusted proxies).
    pub fn is_local(&self) -> bool {
        self.0.is_some_and(|ip| ip.to_canonical().is_loopback())
    }

    /// The key the rate limits count this client under: the address, or for IPv6 its /64
    /// (one household or phone gets a whole /64 to pick addresses from); unknown clients
    /// share one key.
    pub fn rate_key(&self) -> IpAddr {
        match self.0.map(|ip| ip.to_canonical()) {
            Some(IpAddr::V6(v6)) => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(bits))
            }
            Some(ip) => ip,
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }
    }
}

/// The client behind `peer`, given every `X-Forwarded-For` header line (in order) and the
/// trusted proxies. Addresses are compared unmapped (`::ffff:192.0.2.1` is `192.0.2.1`).
///
/// Proxies append the address they received the request from, so the list is read from the
/// right: the first address no trusted proxy added is the client's. A client writes whatever
/// it likes to the left of that, so nothing there counts. An entry that is not an address
/// (`unknown`, garbage) where the client should be gives `None`: not this machine, and one
/// shared rate-limit bucket with every other unknown client.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &[crate::config::IpRange],
) -> Option<IpAddr> {
    let trusts = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    let peer = peer?.to_canonical();
    if !trusts(peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    let Some(first) = hops.first() else {
        return Some(peer);
    };
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) if trusts(ip) => continue,
            Some(ip) => return Some(ip),
            None => return None,
        }
    }
    // Every hop is a proxy of ours: the request started at the first of them.
    parse_hop(first)
}

/// An address as proxies write it in `X-Forwarded-For`: `192.0.2.1`, `2001:db8::1`, or with a
/// port (`192.0.2.1:5000`, `[2001:db8::1]:5000`); unmapped.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// A request to start or join a team: JSON only (a web page elsewhere can send a form or
/// `text/plain` without asking the browser first, but not JSON), to a host name of this
/// server (a page that rebinds its own name to this server's address cannot use it), within
/// the client's rate limit. Gives the client's address.
#[derive(Clone, Copy, Debug)]
pub struct SetupClient(pub ClientIp);

impl FromRequestParts<AppState> for SetupClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let json = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::NotJson);
        }
        if let Some(hosts) = &state.public_hosts {
            let host = parts
                .headers
                .get(axum::http::header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(host_name)
                .unwrap_or_default();
            if !hosts.contains(&host) {
                return Err(ApiError::Forbidden(
                    "this server is not reached by that name; see --public-host",
                ));
            }
        }
        let Ok(client) = ClientIp::from_request_parts(parts, state).await;
        if !state.join_by_ip.check(&client.rate_key()) {
            return Err(ApiError::TooManyRequests);
        }
        Ok(SetupClient(client))
    }
}

/// The host name of a `Host` header, without its port, in lower case (`[::1]` keeps its
/// brackets).
pub(crate) fn host_name(header: &str) -> String {
    let header = header.trim();
    let name = match header.rsplit_once(':') {
        Some((name, port))
            if !name.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && !name.ends_with(':') =>
        {
            name
        }
        _ => header,
    };
    name.to_ascii_lowercase()
}

/// Whether `given` is the server key, compared in constant time (over the keys' hashes, so
/// not even the length shows).
pub fn is_server_key(given: &str, key: &str) -> bool {
    let (a, b) = (hash_token(given), hash_token(key));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let mut forwarded = Vec::new();
        for line in parts.headers.get_all("x-forwarded-for") {
            match line.to_str() {
                Ok(text) => forwarded.push(text),
                // A line that is not text names no address a proxy of ours wrote.
                Err(_) => forwarded.push("unreadable"),
            }
        }
        Ok(ClientIp(client_address(
            peer,
            &forwarded,
            &state.trusted_proxies,
        )))
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

    #[test]
    fn host_names_lose_their_port_and_case() {
        assert_eq!(host_name("Buurtbel.Example.NL:443"), "buurtbel.example.nl");
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("[::1]"), "[::1]");
        assert_eq!(host_name("localhost"), "localhost");
        assert!(is_server_key(
            "een lange geheime sleutel",
            "een lange geheime sleutel"
        ));
        assert!(!is_server_key(
            "een lange geheime sleute",
            "een lange geheime sleutel"
        ));
    }

    #[test]
    fn the_client_behind_a_trusted_proxy_is_the_one_it_names() {
        use crate::config::IpRange;
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let trusted = [
            IpRange::parse("127.0.0.1").expect("range"),
            IpRange::parse("10.0.0.0/8").expect("range"),
        ];
        let behind = |lines: &[&str]| client_address(Some(ip("127.0.0.1")), lines, &trusted);
        // A direct client cannot pretend to be another.
        assert_eq!(
            client_address(Some(ip("203.0.113.7")), &["127.0.0.1"], &trusted),
            Some(ip("203.0.113.7"))
        );
        // Behind the proxy: the address the proxy saw, not what the client wrote before it.
        assert_eq!(
            behind(&["127.0.0.1, 198.51.100.4"]),
            Some(ip("198.51.100.4"))
        );
        assert_eq!(
            behind(&["198.51.100.4, 10.1.2.3"]),
            Some(ip("198.51.100.4")),
            "two proxies of ours"
        );
        assert_eq!(behind(&[]), Some(ip("127.0.0.1")));
        assert_eq!(client_address(None, &["127.0.0.1"], &trusted), None);
        // Appending proxies (nginx, HAProxy): the client's own words stay on the left.
        assert_eq!(behind(&["unknown"]), None, "never this machine");
        assert!(!ClientIp(behind(&["unknown"])).is_local());
        assert_eq!(behind(&["unknown, 198.51.100.7"]), Some(ip("198.51.100.7")));
        assert_eq!(
            behind(&["198.51.100.7, unknown"]),
            None,
            "what the proxy wrote is unreadable: one shared bucket, not a fresh one"
        );
        assert_eq!(
            behind(&["127.0.0.1", "198.51.100.9"]),
            Some(ip("198.51.100.9")),
            "a second header line counts, read after the first"
        );
        assert_eq!(behind(&["198.51.100.9:4711"]), Some(ip("198.51.100.9")));
        assert_eq!(behind(&["[2001:db8::5]:4711"]), Some(ip("2001:db8::5")));
        // IPv4 clients of a server on [::] arrive mapped; a trusted 127.0.0.1 proxy too.
        assert_eq!(
            client_address(Some(ip("::ffff:127.0.0.1")), &["198.51.100.4"], &trusted),
            Some(ip("198.51.100.4"))
        );
        assert_ne!(
            ClientIp(client_address(
                Some(ip("::ffff:198.51.100.1")),
                &[],
                &trusted
            ))
            .rate_key(),
            ClientIp(client_address(
                Some(ip("::ffff:198.51.100.2")),
                &[],
                &trusted
            ))
            .rate_key(),
            "two IPv4 clients are two buckets"
        );
        assert!(ClientIp(Some(ip("::ffff:127.0.0.1"))).is_local());
        assert!(!ClientIp(None).is_local(), "no peer is not this machine");
        assert!(!ClientIp(Some(ip("0.0.0.0"))).is_local());
        assert!(ClientIp(Some(ip("::1"))).is_local());
        // One IPv6 /64 is one client for the rate limits.
        assert_eq!(
            ClientIp(Some(ip("2001:db8:1:2:aaaa::1"))).rate_key(),
            ClientIp(Some(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).rate_key()
        );
        assert_ne!(
            ClientIp(Some(ip("2001:db8:1:2::1"))).rate_key(),
            ClientIp(Some(ip("2001:db8:1:3::1"))).rate_key()
        );
    }
}
