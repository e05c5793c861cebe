//! A fast hash for the engine's maps and sets of words.
//!
//! std's default, SipHash, resists collisions chosen by whoever supplies the
//! keys, at several times the cost for short keys such as words. Here the keys
//! are the lexicon's words and the knowledge base's, so chosen collisions
//! could only slow down their owner's own index; a visitor's words are only
//! looked up. Building an index hashes every word of the knowledge base.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

/// rustc's FxHash: per 8 bytes, one rotate, xor and multiply.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            rest = tail;
        }
        if let Some((word, tail)) = rest.split_first_chunk::<4>() {
            self.add(u32::from_le_bytes(*word).into());
            rest = tail;
        }
        if let Some((word, tail)) = rest.split_first_chunk::<2>() {
            self.add(u16::from_le_bytes(*word).into());
            rest = tail;
        }
        if let Some(&byte) = rest.first() {
            self.add(byte.into());
        }
    }

    /// Ends every string (`str`'s hash writes a 0xff after the bytes).
    fn write_u8(&mut self, i: u8) {
        self.add(i.into());
    }

    /// The product's low bits, which pick the bucket, are its weakest: bring
    /// the high ones down.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}
