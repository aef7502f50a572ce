//! Responses on their way from the exports to the figures, held in partitions so that no
//! step needs all of them at once.
//!
//! A large build must not hold every response in memory: a year of a large company's
//! surveys is millions of rows. Two things need more than one row at a time, though:
//! telling the copies of a response apart (the same id in several exports) and numbering
//! each customer's visits (their responses in time order). Both are local to a key, so
//! the responses are split by that key into partitions small enough to handle one by one:
//!
//! 1. while the exports are read, each response goes to a partition by its id (a
//!    [`Spool`] per export);
//! 2. each id partition is deduplicated alone ([`super::merge`]) and its survivors go to a
//!    partition by customer;
//! 3. the figures are counted one customer partition at a time ([`Parts::each`]).
//!
//! Small inputs keep their partitions in memory. Above [`Spill::above`] bytes of exports
//! (a one-shot build; a server keeps its exports in memory to rebuild quickly) the
//! partitions are files in a temporary folder, written and read back sequentially in a
//! compact binary form, so memory holds a few partitions at a time whatever the rows.
//! Partitions change where responses wait, never what is counted: the result is the
//! same for any number of partitions, in memory or on disk (tested).

use std::borrow::Cow;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Response, Scores};

/// Bytes of exports that one partition on disk is made for: a partition is read back whole,
/// and its responses take about twice the bytes of their CSV rows in memory.
const PARTITION_BYTES: u64 = 8 << 20;
/// Partitions in memory: enough to count on every core.
const IN_MEMORY: usize = 8;

/// Where partitions are kept, and how many there are.
#[derive(Debug, Clone)]
pub struct Spill {
    pub partitions: usize,
    /// The temporary folder of the partition files; `None` keeps them in memory.
    folder: Option<Arc<tempfile::TempDir>>,
}

impl Default for Spill {
    fn default() -> Spill {
        Spill::memory()
    }
}

impl Spill {
    /// Exports larger than this many bytes in all are partitioned on disk by a one-shot build:
    /// `RAPPORT_SPILL_ABOVE_MB` (default 64) sets it, 0 always spills.
    pub fn above() -> u64 {
        let mb = std::env::var("RAPPORT_SPILL_ABOVE_MB").ok().and_then(|v| v.trim().parse::<u64>().ok());
        mb.unwrap_or(64) << 20
    }

    pub fn memory() -> Spill {
        Spill { partitions: IN_MEMORY, folder: None }
    }

    /// Partitions on disk for `bytes` of exports, in a new temporary folder.
    pub fn disk(bytes: u64) -> std::io::Result<Spill> {
        Spill::disk_partitions(bytes.div_ceil(PARTITION_BYTES).clamp(2, 4096) as usize)
    }

    /// `partitions` partitions on disk, in a new temporary folder (removed when the last
    /// clone of the spill and of the inputs made with it is dropped).
    pub fn disk_partitions(partitions: usize) -> std::io::Result<Spill> {
        let folder = tempfile::Builder::new().prefix("rapport-").tempdir()?;
        Ok(Spill { partitions: partitions.max(1), folder: Some(Arc::new(folder)) })
    }

    /// For `bytes` of exports: on disk above [`Spill::above`] unless `in_memory`.
    pub fn for_exports(bytes: u64, in_memory: bool) -> std::io::Result<Spill> {
        if in_memory || bytes <= Spill::above() { Ok(Spill::memory()) } else { Spill::disk(bytes) }
    }

    pub fn on_disk(&self) -> bool {
        self.folder.is_some()
    }

    /// The partition of a key.
    pub fn partition(&self, key: &str) -> usize {
        (rustc_hash::FxBuildHasher.hash_one(key) % self.partitions as u64) as usize
    }

    fn bucket(&self) -> std::io::Result<Bucket> {
        match &self.folder {
            None => Ok(Bucket::Memory(Vec::new())),
            Some(folder) => {
                let file = tempfile::tempfile_in(folder.path())?;
                Ok(Bucket::Disk { writer: BufWriter::with_capacity(1 << 16, file), count: 0, buffer: Vec::new() })
            }
        }
    }
}

/// What a [`Spool`] partitions responses by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The response id (else the customer): copies of a response meet in one partition.
    Id,
    /// The customer: a customer's responses meet in one partition.
    Customer,
}

/// Responses being sorted into partitions, by a key each gives.
pub struct Spool {
    spill: Spill,
    key: Key,
    buckets: Vec<Bucket>,
    /// The last response added, held back until the next one: the end of a file can still
    /// turn out to be broken and take its last row back ([`Spool::pop_last`]).
    last: Option<(usize, Response)>,
    /// The first error writing a partition file: reported by [`Spool::finish`].
    failed: Option<std::io::Error>,
}

enum Bucket {
    Memory(Vec<Response>),
    Disk { writer: BufWriter<File>, count: u64, buffer: Vec<u8> },
}

/// A partition's share of one spool: responses in the order they were added.
#[derive(Debug)]
pub enum Chunk {
    Memory(Vec<Response>),
    Disk { file: Arc<File>, count: u64 },
}

impl Clone for Chunk {
    fn clone(&self) -> Chunk {
        match self {
            Chunk::Memory(responses) => Chunk::Memory(responses.clone()),
            Chunk::Disk { file, count } => Chunk::Disk { file: Arc::clone(file), count: *count },
        }
    }
}

impl Spool {
    pub fn new(spill: &Spill, key: Key) -> Spool {
        Spool { spill: spill.clone(), key, buckets: Vec::new(), last: None, failed: None }
    }

    /// Adds `response` to the partition of its key. Responses without one (no id, no customer)
    /// are spread by where they were read.
    pub fn add(&mut self, response: Response) {
        let by_customer = || response.customer.as_deref().map(|c| self.spill.partition(c));
        let partition = match self.key {
            Key::Id => response.id.as_deref().map(|id| self.spill.partition(id)).or_else(by_customer),
            Key::Customer => by_customer(),
        };
        let partition = partition.unwrap_or((response.line % self.spill.partitions as u64) as usize);
        self.push(partition, response);
    }

    /// Adds `response` to partition `partition`.
    fn push(&mut self, partition: usize, response: Response) {
        if let Some((p, previous)) = self.last.replace((partition, response)) {
            self.put(p, previous);
        }
    }

    pub fn last(&self) -> Option<&Response> {
        self.last.as_ref().map(|(_, r)| r)
    }

    /// Takes back the last response added.
    pub fn pop_last(&mut self) -> Option<Response> {
        self.last.take().map(|(_, r)| r)
    }

    fn put(&mut self, partition: usize, response: Response) {
        if self.buckets.is_empty() {
            match (0..self.spill.partitions).map(|_| self.spill.bucket()).collect() {
                Ok(buckets) => self.buckets = buckets,
                Err(e) => {
                    self.failed.get_or_insert(e);
                    return;
                }
            }
        }
        match &mut self.buckets[partition] {
            Bucket::Memory(responses) => responses.push(response),
            Bucket::Disk { writer, count, buffer } => {
                buffer.clear();
                encode(&response, buffer);
                *count += 1;
                if let Err(e) = writer.write_all(buffer) {
                    self.failed.get_or_insert(e);
                }
            }
        }
    }

    /// The partitions' chunks, one per partition (empty ones too).
    pub fn finish(mut self) -> std::io::Result<Vec<Chunk>> {
        if let Some((p, last)) = self.last.take() {
            self.put(p, last);
        }
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.buckets.is_empty() {
            return Ok((0..self.spill.partitions).map(|_| Chunk::Memory(Vec::new())).collect());
        }
        self.buckets
            .into_iter()
            .map(|bucket| match bucket {
                Bucket::Memory(responses) => Ok(Chunk::Memory(responses)),
                Bucket::Disk { writer, count, .. } => {
                    let file = writer.into_inner().map_err(|e| e.into_error())?;
                    Ok(Chunk::Disk { file: Arc::new(file), count })
                }
            })
            .collect()
    }
}

impl Chunk {
    pub fn len(&self) -> u64 {
        match self {
            Chunk::Memory(responses) => responses.len() as u64,
            Chunk::Disk { count, .. } => *count,
        }
    }

    /// Its responses, in the order they were added; `measures` and `dimensions` say how many
    /// of each a response holds.
    pub fn load(&self, shape: Shape) -> std::io::Result<Cow<'_, [Response]>> {
        match self {
            Chunk::Memory(responses) => Ok(Cow::Borrowed(responses)),
            Chunk::Disk { file, count } => {
                let mut bytes = Vec::new();
                let mut handle: &File = file;
                std::io::Seek::seek(&mut handle, std::io::SeekFrom::Start(0))?;
                BufReader::new(handle).read_to_end(&mut bytes)?;
                let mut at = 0;
                let mut responses = Vec::with_capacity(*count as usize);
                for _ in 0..*count {
                    responses.push(decode(&bytes, &mut at, shape).ok_or_else(corrupt)?);
                }
                Ok(Cow::Owned(responses))
            }
        }
    }

    /// Its responses, owned.
    pub fn into_responses(self, shape: Shape) -> std::io::Result<Vec<Response>> {
        match self {
            Chunk::Memory(responses) => Ok(responses),
            disk => Ok(disk.load(shape)?.into_owned()),
        }
    }
}

fn corrupt() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "a temporary partition file was changed while rapport ran")
}

/// How many dimension values and measures each response holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub dimensions: usize,
    pub measures: usize,
}

/// The partitions of a site's responses by customer: each customer's responses are all in one.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub(super) shape: Shape,
    /// Per partition, its chunks.
    pub(super) parts: Vec<Vec<Chunk>>,
}

/// Responses already read, as one partition in memory (each response's `first` is its place
/// in the list): for tests and tools that make responses themselves.
impl From<Vec<Response>> for Parts {
    fn from(mut responses: Vec<Response>) -> Parts {
        let shape = responses
            .first()
            .map(|r| Shape { dimensions: r.dimensions.len(), measures: r.measures.len() })
            .unwrap_or_default();
        for (i, r) in responses.iter_mut().enumerate() {
            r.first = i as u64;
        }
        Parts { shape, parts: vec![vec![Chunk::Memory(responses)]] }
    }
}

impl Parts {
    /// All responses.
    pub fn len(&self) -> u64 {
        self.parts.iter().flatten().map(Chunk::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `f` of each partition's responses, in parallel, a few partitions in memory at a time.
    pub fn each<R: Send>(&self, f: impl Fn(&[Response]) -> R + Sync + Send) -> std::io::Result<Vec<R>> {
        use rayon::prelude::*;
        self.parts
            .par_iter()
            .map(|chunks| match chunks.as_slice() {
                [one] => Ok(f(&one.load(self.shape)?)),
                _ => {
                    let mut responses = Vec::new();
                    for chunk in chunks {
                        responses.extend(chunk.load(self.shape)?.iter().cloned());
                    }
                    Ok(f(&responses))
                }
            })
            .collect()
    }
}

// The binary form of a response on disk: what it holds, in field order, lengths as u32.

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn encode(r: &Response, out: &mut Vec<u8>) {
    put_str(out, r.id.as_deref());
    out.extend_from_slice(&r.submitted_at.as_nanosecond().to_le_bytes());
    out.extend_from_slice(&r.day.year().to_le_bytes());
    out.push(r.day.month() as u8);
    out.push(r.day.day() as u8);
    put_str(out, r.customer.as_deref());
    put_str(out, r.comment.as_deref());
    for score in [r.scores.csat, r.scores.nps, r.scores.ces] {
        out.push(score.unwrap_or(u8::MAX));
    }
    for value in &r.dimensions {
        out.extend_from_slice(&value.unwrap_or(u32::MAX).to_le_bytes());
    }
    for measure in &r.measures {
        match measure {
            None => out.push(0),
            Some(m) => {
                out.push(1);
                out.extend_from_slice(&m.to_le_bytes());
            }
        }
    }
    out.extend_from_slice(&r.file.to_le_bytes());
    out.extend_from_slice(&r.line.to_le_bytes());
    out.extend_from_slice(&r.first.to_le_bytes());
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Option<&'a [u8]> {
    let slice = bytes.get(*at..*at + n)?;
    *at += n;
    Some(slice)
}

fn take_array<const N: usize>(bytes: &[u8], at: &mut usize) -> Option<[u8; N]> {
    take(bytes, at, N)?.try_into().ok()
}

fn take_str(bytes: &[u8], at: &mut usize) -> Option<Option<Box<str>>> {
    let len = u32::from_le_bytes(take_array(bytes, at)?);
    if len == u32::MAX {
        return Some(None);
    }
    let text = std::str::from_utf8(take(bytes, at, len as usize)?).ok()?;
    Some(Some(Box::from(text)))
}

fn decode(bytes: &[u8], at: &mut usize, shape: Shape) -> Option<Response> {
    let id = take_str(bytes, at)?;
    let submitted_at = Timestamp::from_nanosecond(i128::from_le_bytes(take_array(bytes, at)?)).ok()?;
    let year = i16::from_le_bytes(take_array(bytes, at)?);
    let [month, day] = take_array::<2>(bytes, at)?;
    let day = Date::new(year, month as i8, day as i8).ok()?;
    let customer = take_str(bytes, at)?;
    let comment = take_str(bytes, at)?;
    let [csat, nps, ces] = take_array::<3>(bytes, at)?.map(|s| (s != u8::MAX).then_some(s));
    let mut dimensions = Vec::with_capacity(shape.dimensions);
    for _ in 0..shape.dimensions {
        let v = u32::from_le_bytes(take_array(bytes, at)?);
        dimensions.push((v != u32::MAX).then_some(v));
    }
    let mut measures = Vec::with_capacity(shape.measures);
    for _ in 0..shape.measures {
        let [present] = take_array::<1>(bytes, at)?;
        measures.push(if present == 1 { Some(f64::from_le_bytes(take_array(bytes, at)?)) } else { None });
    }
    Some(Response {
        id,
        submitted_at,
        day,
        customer,
        comment,
        scores: Scores { csat, nps, ces },
        dimensions: dimensions.into_boxed_slice(),
        measures: measures.into_boxed_slice(),
        file: u32::from_le_bytes(take_array(bytes, at)?),
        line: u64::from_le_bytes(take_array(bytes, at)?),
        first: u64::from_le_bytes(take_array(bytes, at)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(id: Option<&str>, comment: Option<&str>, measures: Vec<Option<f64>>) -> Response {
        Response {
            id: id.map(Box::from),
            submitted_at: "2026-03-29T01:30:00.123456789Z".parse().unwrap(),
            day: Date::new(2026, 3, 29).unwrap(),
            customer: Some("Müller & Söhne".into()),
            comment: comment.map(Box::from),
            scores: Scores { csat: Some(5), nps: None, ces: Some(0) },
            dimensions: vec![Some(3), None, Some(u32::MAX - 1)].into_boxed_slice(),
            measures: measures.into_boxed_slice(),
            file: 7,
            line: 1 << 33,
            first: 12,
        }
    }

    #[test]
    fn responses_come_back_from_disk_as_they_went_in() {
        let spill = Spill::disk(1).unwrap();
        let shape = Shape { dimensions: 3, measures: 2 };
        let sent = [
            response(Some("R_1"), Some("Ждали «долго»,\nno \"quick\" fix 😐"), vec![Some(2.0), None]),
            response(None, None, vec![None, Some(0.5)]),
            response(Some(""), Some(""), vec![Some(f64::MAX), Some(-0.0)]),
        ];
        let mut spool = Spool::new(&spill, Key::Id);
        for (i, r) in sent.iter().enumerate() {
            spool.push(i % 2, r.clone());
        }
        let chunks = spool.finish().unwrap();
        assert_eq!(chunks.len(), spill.partitions);
        let back: Vec<Response> = chunks.iter().flat_map(|c| c.load(shape).unwrap().into_owned()).collect();
        assert_eq!(back, vec![sent[0].clone(), sent[2].clone(), sent[1].clone()]);
        // A chunk can be read again.
        assert_eq!(chunks[1].load(shape).unwrap().len(), 1);
    }

    #[test]
    fn the_last_response_can_be_taken_back_until_another_is_added() {
        let mut spool = Spool::new(&Spill::memory(), Key::Id);
        spool.add(response(Some("a"), None, vec![]));
        spool.add(response(Some("b"), None, vec![]));
        assert_eq!(spool.pop_last().and_then(|r| r.id).as_deref(), Some("b"));
        let chunks = spool.finish().unwrap();
        assert_eq!(chunks.iter().map(Chunk::len).sum::<u64>(), 1);
    }
}
