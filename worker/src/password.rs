//! Passwords, kept only as PBKDF2-SHA256 hashes: 100,000 iterations (the most the Workers
//! runtime's WebCrypto takes), a random 16-byte salt per account, 32 bytes of output,
//! written `pbkdf2-sha256.100000.<salt hex>.<hash hex>`. `scripts/hash-password` writes
//! the same for the `AGENTS` setting. The runtime's WebCrypto does the work in native code;
//! the comparison takes the same time wherever the bytes differ.

use crate::auth::{hex, unhex};
use crate::error::{ApiError, ApiResult};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, Pbkdf2Params};

const SCHEME: &str = "pbkdf2-sha256";
pub const ITERATIONS: u32 = 100_000;
const SALT_BYTES: usize = 16;
const HASH_BITS: u32 = 256;

/// Shortest password an agent may choose.
pub const MIN_CHARS: usize = 10;

/// A stored hash, read.
pub struct Hash {
    iterations: u32,
    salt: Vec<u8>,
    bits: Vec<u8>,
}

impl Hash {
    /// Reads `pbkdf2-sha256.N.salt.hash`; `None` for anything else (a plain password).
    /// The parts are joined with dots, not PHC's `$`, which shells and dotenv files expand.
    pub fn parse(text: &str) -> Option<Hash> {
        let mut parts = text.split('.');
        let (scheme, n, salt, bits) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let hash = Hash {
            iterations: n.parse().ok()?,
            salt: unhex(salt)?,
            bits: unhex(bits)?,
        };
        let sound = scheme == SCHEME
            && parts.next().is_none()
            && (1..=ITERATIONS).contains(&hash.iterations)
            && !hash.salt.is_empty()
            && hash.bits.len() == (HASH_BITS / 8) as usize;
        sound.then_some(hash)
    }

    /// Whether `password` is the one hashed, compared in constant time.
    pub async fn verify(&self, password: &str) -> ApiResult<bool> {
        let bits = derive(password, &self.salt, self.iterations).await?;
        let differ = bits
            .iter()
            .zip(&self.bits)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        Ok(bits.len() == self.bits.len() && differ == 0)
    }
}

/// A new hash of `password`, with a fresh salt.
pub async fn hash(password: &str) -> ApiResult<String> {
    let mut salt = [0u8; SALT_BYTES];
    getrandom::getrandom(&mut salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    let bits = derive(password, &salt, ITERATIONS).await?;
    Ok(format!(
        "{SCHEME}.{ITERATIONS}.{}.{}",
        hex(&salt),
        hex(&bits)
    ))
}

/// Why a chosen password will not do, if it will not.
pub fn problem(password: &str) -> Option<String> {
    (password.chars().count() < MIN_CHARS)
        .then(|| format!("a password has at least {MIN_CHARS} characters"))
}

async fn derive(password: &str, salt: &[u8], iterations: u32) -> ApiResult<Vec<u8>> {
    let failed = |e: JsValue| ApiError::Internal(format!("WebCrypto PBKDF2: {e:?}"));
    let crypto: Crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(failed)?
        .unchecked_into();
    let subtle = crypto.subtle();
    let key_data = Uint8Array::from(password.as_bytes());
    let usages = Array::of1(&"deriveBits".into());
    let key: CryptoKey = JsFuture::from(
        subtle
            .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
            .map_err(failed)?,
    )
    .await
    .map_err(failed)?
    .unchecked_into();
    let params = Pbkdf2Params::new(
        "PBKDF2",
        &"SHA-256".into(),
        iterations,
        &Uint8Array::from(salt),
    );
    let bits = JsFuture::from(
        subtle
            .derive_bits_with_object(&params, &key, HASH_BITS)
            .map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    Ok(Uint8Array::new(&bits).to_vec())
}
