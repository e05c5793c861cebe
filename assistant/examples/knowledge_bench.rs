//! The knowledge-base benchmark (a measurement, not a test; `scripts/bench-knowledge`
//! runs it): indexes a generated knowledge base at the limit (2,000 entries, three
//! questions each, answers of about 60 words) and answers questions against it,
//! printing the index build time and the answer time's p50 and p99; then the answer time
//! on the demo knowledge base, for its own questions reworded the same way.
//!
//! The entries are made from a fixed seed, so every run measures the same work: words
//! drawn from a vocabulary of 5,000 made-up words with a long tail, as a shop's
//! catalogue has, and questions that are half an entry's in other order with a word
//! dropped (a paraphrase) and half words from anywhere (questions it does not know).

use baton_assistant::docs::{EntryDoc, MAX_ENTRIES};
use baton_assistant::{KnowledgeBase, Reply};
use std::time::{Duration, Instant};

const BUILDS: usize = 20;
const QUESTIONS: usize = 2000;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A word index with a long tail: small indexes are far more common.
    fn word(&mut self, vocabulary: usize) -> usize {
        let a = self.below(vocabulary);
        let b = self.below(vocabulary);
        a.min(b)
    }
}

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ter", "san", "po", "ri", "vel", "du", "ne", "sha", "to", "bri", "gan",
        "mo", "lek", "ra", "fi", "zu", "tor", "pel", "wi", "cro", "dan",
    ];
    (0..5000)
        .map(|_| {
            let n = 2 + rng.below(2);
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

fn sentence(rng: &mut Rng, words: &[String], len: usize) -> Vec<String> {
    (0..len)
        .map(|_| words[rng.word(words.len())].clone())
        .collect()
}

fn entries(rng: &mut Rng, words: &[String]) -> Vec<EntryDoc> {
    (0..MAX_ENTRIES)
        .map(|i| EntryDoc {
            id: format!("entry-{i}"),
            questions: (0..3)
                .map(|_| {
                    let len = 5 + rng.below(5);
                    format!("{}?", sentence(rng, words, len).join(" "))
                })
                .collect(),
            answer: sentence(rng, words, 60).join(" "),
            handover: false,
        })
        .collect()
}

fn questions(rng: &mut Rng, words: &[String], entries: &[EntryDoc]) -> Vec<String> {
    (0..QUESTIONS)
        .map(|i| {
            if i % 2 == 0 {
                let entry = &entries[rng.below(entries.len())];
                let mut q: Vec<&str> = entry.questions[0]
                    .trim_end_matches('?')
                    .split(' ')
                    .collect();
                q.remove(rng.below(q.len()));
                q.reverse();
                q.join(" ")
            } else {
                let len = 4 + rng.below(8);
                sentence(rng, words, len).join(" ")
            }
        })
        .collect()
}

/// Answer times of `kb` for each of `asked`, sorted, and how many were answered.
fn answer_times(kb: &KnowledgeBase, asked: &[String]) -> (Vec<Duration>, usize) {
    let mut answered = 0;
    let mut times: Vec<Duration> = asked
        .iter()
        .map(|q| {
            let start = Instant::now();
            let reply = kb.answer(q);
            let took = start.elapsed();
            if matches!(reply, Reply::Answer { .. }) {
                answered += 1;
            }
            took
        })
        .collect();
    times.sort();
    (times, answered)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = vocabulary(&mut rng);
    let docs = entries(&mut rng, &words);
    let asked = questions(&mut rng, &words, &docs);

    let mut builds: Vec<Duration> = (0..BUILDS)
        .map(|_| {
            let start = Instant::now();
            let kb = KnowledgeBase::from_docs(&docs);
            let took = start.elapsed();
            assert_eq!(kb.len(), MAX_ENTRIES);
            took
        })
        .collect();
    builds.sort();

    let kb = KnowledgeBase::from_docs(&docs);
    let (times, answered) = answer_times(&kb, &asked);

    println!(
        "knowledge base: {} entries, {} questions each, answers of 60 words",
        docs.len(),
        docs[0].questions.len()
    );
    println!(
        "index build ({BUILDS} runs): median {:.1} ms, slowest {:.1} ms   (aim: <= 50 ms)",
        ms(percentile(&builds, 0.5)),
        ms(builds[builds.len() - 1])
    );
    println!(
        "answer ({} questions, {answered} answered): p50 {:.3} ms, p99 {:.3} ms, slowest {:.3} ms   (aim: p99 <= 1 ms)",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1])
    );

    let demo = KnowledgeBase::demo_docs();
    let asked = questions(&mut rng, &words, &demo);
    let (times, answered) = answer_times(&KnowledgeBase::from_docs(&demo), &asked);
    println!(
        "demo knowledge base ({} entries), answer ({} questions, {answered} answered): p50 {:.3} ms, p99 {:.3} ms",
        demo.len(),
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
}
