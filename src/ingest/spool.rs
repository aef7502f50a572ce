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
//! compact binary form, so memory holds one partition per thread at a time.
//! Partitions change where responses wait, never what is counted: the result is the
//! same for any number of partitions, in memory or on disk (tested).
//!
//! Limits: a partition holds whole customers, so one customer with a large share of the
//! responses (or one placeholder value in the customer column) makes its partition that
//! large; and above 2 GB of exports partitions grow with the exports ([`MOST`]).

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Response, Scores};

/// Bytes of exports that one partition on disk is made for: a partition is read back whole,
/// and its responses take about three times the bytes of their CSV rows in memory; two
/// threads each hold one, next to the figures.
const PARTITION_BYTES: u64 = 2 << 20;
/// Partitions in memory: enough to keep a few cores busy counting.
const IN_MEMORY: usize = 8;
/// Bytes of encoded responses a spool gathers in all (over its partitions) before appending
/// each partition's block to its file, and the least one block holds.
const BLOCKS: usize = 4 << 20;
const BLOCK: usize = 4 << 10;
/// At most this many partitions on disk (2 GB of exports at [`PARTITION_BYTES`]): beyond,
/// partitions grow instead of a spool's blocks.
const MOST: u64 = 1024;

/// Where partitions are kept, and how many there are.
#[derive(Debug, Clone)]
pub struct Spill {
    pub partitions: usize,
    /// The partition files; `None` keeps partitions in memory.
    disk: Option<Arc<Disk>>,
}

/// The temporary folder of the partition files: one file per partition and [`Key`], which every
/// spool appends whole blocks to and which is opened only to append or read (so a build holds no
/// more than a few open at a time, whatever the partitions).
#[derive(Debug)]
pub struct Disk {
    folder: tempfile::TempDir,
    /// Per key, per partition: how many responses its file holds.
    counts: [Vec<Mutex<u64>>; 2],
}

/// The folders of partitions in use, to remove if the process is interrupted ([`remove_all`]):
/// they hold customers' comments and names as read, whatever the site publishes.
static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every folder of partitions in use: for a handler of Ctrl-C, before the process ends
/// without dropping them.
pub fn remove_all() {
    let folders = FOLDERS.lock().unwrap_or_else(|e| e.into_inner());
    for folder in folders.iter() {
        let _ = std::fs::remove_dir_all(folder);
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        let mut folders = FOLDERS.lock().unwrap_or_else(|e| e.into_inner());
        folders.retain(|f| f != self.folder.path());
        // The folder itself goes with `self.folder`.
    }
}

impl Disk {
    fn path(&self, key: Key, partition: usize) -> PathBuf {
        self.folder.path().join(format!("{}-{partition}.bin", key as u8))
    }

    /// Appends `block` (`count` responses) to a partition's file.
    fn append(&self, key: Key, partition: usize, block: &[u8], count: u64) -> std::io::Result<()> {
        // The lock keeps blocks whole; a poisoned one (a panic elsewhere) still counts right.
        let mut held = self.counts[key as usize][partition].lock().unwrap_or_else(|e| e.into_inner());
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(self.path(key, partition))?;
        file.write_all(block)?;
        *held += count;
        Ok(())
    }
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
        Spill { partitions: IN_MEMORY, disk: None }
    }

    /// Partitions on disk for `bytes` of exports, in a new temporary folder.
    pub fn disk(bytes: u64) -> std::io::Result<Spill> {
        Spill::disk_partitions(bytes.div_ceil(PARTITION_BYTES).clamp(2, MOST) as usize)
    }

    /// `partitions` partitions on disk, in a new temporary folder (removed when the last
    /// clone of the spill and of the inputs made with it is dropped).
    pub fn disk_partitions(partitions: usize) -> std::io::Result<Spill> {
        let partitions = partitions.max(1);
        let folder = tempfile::Builder::new().prefix("rapport-").tempdir()?;
        let counts = || (0..partitions).map(|_| Mutex::new(0)).collect();
        FOLDERS.lock().unwrap_or_else(|e| e.into_inner()).push(folder.path().to_path_buf());
        Ok(Spill { partitions, disk: Some(Arc::new(Disk { folder, counts: [counts(), counts()] })) })
    }

    /// For `bytes` of exports: on disk above [`Spill::above`] unless `in_memory`.
    pub fn for_exports(bytes: u64, in_memory: bool) -> std::io::Result<Spill> {
        if in_memory || bytes <= Spill::above() { Ok(Spill::memory()) } else { Spill::disk(bytes) }
    }

    pub fn on_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// The partition of a key.
    pub fn partition(&self, key: &str) -> usize {
        (rustc_hash::FxBuildHasher.hash_one(key) % self.partitions as u64) as usize
    }

    /// Removes what the spools of `key` wrote to partition `partition`'s file, once read for
    /// good: a file removed early need never be written out by the system.
    pub fn remove(&self, key: Key, partition: usize) {
        if let Some(disk) = &self.disk {
            let mut count = disk.counts[key as usize][partition].lock().unwrap_or_else(|e| e.into_inner());
            // A file that cannot be removed now goes with the folder at the end.
            if std::fs::remove_file(disk.path(key, partition)).is_ok() {
                *count = 0;
            }
        }
    }

    /// What the spools of `key` wrote to disk, per partition (none in memory).
    pub fn written(&self, key: Key) -> Vec<Option<Chunk>> {
        (0..self.partitions)
            .map(|p| {
                let disk = self.disk.as_ref()?;
                let count = *disk.counts[key as usize][p].lock().unwrap_or_else(|e| e.into_inner());
                Some(Chunk::Disk { disk: Arc::clone(disk), path: disk.path(key, p), count })
            })
            .collect()
    }
}

/// What a [`Spool`] partitions responses by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The response id (else the customer): copies of a response meet in one partition.
    Id = 0,
    /// The customer: a customer's responses meet in one partition.
    Customer = 1,
}

/// Responses being sorted into partitions, by a key each gives.
pub struct Spool {
    spill: Spill,
    key: Key,
    /// The index of the export being read, given to its responses (for [`Key::Id`]).
    file: u32,
    /// In memory: the partitions' responses. On disk: their encoded responses not yet appended.
    memory: Vec<Vec<Response>>,
    blocks: Vec<(Vec<u8>, u64)>,
    /// The last response added, held back until the next one: the end of a file can still
    /// turn out to be broken and take its last row back ([`Spool::pop_last`]).
    last: Option<(usize, Response)>,
    /// The first error writing a partition file: reported by [`Spool::finish`].
    failed: Option<std::io::Error>,
}

/// A partition's share of one spool (in memory) or of all (on disk): responses in the order
/// they were added.
#[derive(Debug, Clone)]
pub enum Chunk {
    Memory(Vec<Response>),
    Disk { disk: Arc<Disk>, path: PathBuf, count: u64 },
}

impl Spool {
    /// A spool for the responses of export number `file` ([`Key::Id`]), or of any ([`Key::Customer`]).
    pub fn new(spill: &Spill, key: Key, file: u32) -> Spool {
        let (partitions, on_disk) = (spill.partitions, spill.on_disk());
        Spool {
            spill: spill.clone(),
            key,
            file,
            memory: if on_disk { Vec::new() } else { (0..partitions).map(|_| Vec::new()).collect() },
            blocks: if on_disk { (0..partitions).map(|_| (Vec::new(), 0)).collect() } else { Vec::new() },
            last: None,
            failed: None,
        }
    }

    /// Adds `response` to the partition of its key. Responses without one (no id, no customer)
    /// are spread by where they were read.
    pub fn add(&mut self, mut response: Response) {
        if self.key == Key::Id {
            response.file = self.file;
        }
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
        let partitions = self.spill.partitions;
        match &self.spill.disk {
            None => self.memory[partition].push(response),
            Some(disk) => {
                let (block, count) = &mut self.blocks[partition];
                encode(&response, block);
                *count += 1;
                if block.len() >= (BLOCKS / partitions).max(BLOCK) {
                    if let Err(e) = disk.append(self.key, partition, block, *count) {
                        self.failed.get_or_insert(e);
                    }
                    block.clear();
                    *count = 0;
                }
            }
        }
    }

    /// The partitions' responses in memory, one list per partition (empty ones too); on disk,
    /// none: the spill's files hold them ([`Spill::written`]).
    pub fn finish(mut self) -> std::io::Result<Vec<Vec<Response>>> {
        if let Some((p, last)) = self.last.take() {
            self.put(p, last);
        }
        if let Some(disk) = &self.spill.disk {
            for (partition, (block, count)) in self.blocks.iter().enumerate() {
                if *count > 0 {
                    disk.append(self.key, partition, block, *count)?;
                }
            }
        }
        if let Some(e) = self.failed {
            return Err(e);
        }
        Ok(self.memory)
    }
}

impl Chunk {
    pub fn len(&self) -> u64 {
        match self {
            Chunk::Memory(responses) => responses.len() as u64,
            Chunk::Disk { count, .. } => *count,
        }
    }

    /// Its responses, in the order they were added.
    pub fn load(&self, shape: Shape) -> std::io::Result<Cow<'_, [Response]>> {
        match self {
            Chunk::Memory(responses) => Ok(Cow::Borrowed(responses)),
            Chunk::Disk { path, count, .. } => {
                let mut responses = Vec::with_capacity(*count as usize);
                if *count > 0 {
                    let bytes = std::fs::read(path)?;
                    let mut at = 0;
                    for _ in 0..*count {
                        responses.push(decode(&bytes, &mut at, shape).ok_or_else(corrupt)?);
                    }
                    if at != bytes.len() {
                        return Err(corrupt());
                    }
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
    /// Per partition, its responses.
    pub(super) parts: Vec<Chunk>,
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
        Parts { shape, parts: vec![Chunk::Memory(responses)] }
    }
}

impl Parts {
    /// Removes the partition files of responses on disk (nothing in memory): for a one-shot
    /// build once its figures are counted, so the system need not write them out. The
    /// responses cannot be read again.
    pub fn discard(&self) {
        for chunk in &self.parts {
            if let Chunk::Disk { path, .. } = chunk {
                // A file that cannot be removed now goes with the folder at the end.
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// All responses.
    pub fn len(&self) -> u64 {
        self.parts.iter().map(Chunk::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds each partition's responses to an accumulator with `add`, in parallel, a few
    /// partitions in memory at a time; the accumulators (made by `empty`, one per thread's run
    /// of partitions) are then merged with `merge`, which must not care about order.
    pub fn fold<R: Send>(
        &self,
        empty: impl Fn() -> R + Sync + Send,
        add: impl Fn(&mut R, &[Response]) + Sync + Send,
        merge: impl Fn(R, R) -> R + Sync + Send,
    ) -> std::io::Result<R> {
        use rayon::prelude::*;
        // One run of partitions per thread, each with one accumulator: accumulators are the
        // size of the figures, not of the responses, but a site's figures can be tens of MB.
        let run = self.parts.len().div_ceil(rayon::current_num_threads()).max(1);
        self.parts
            .par_chunks(run)
            .map(|run| {
                let mut acc = empty();
                for chunk in run {
                    add(&mut acc, &chunk.load(self.shape)?);
                }
                Ok::<R, std::io::Error>(acc)
            })
            .try_reduce(&empty, |a, b| Ok(merge(a, b)))
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
        let mut spool = Spool::new(&spill, Key::Customer, 0);
        for (i, r) in sent.iter().enumerate() {
            spool.push(i % 2, r.clone());
        }
        assert!(spool.finish().unwrap().is_empty(), "on disk, the spill's files hold the responses");
        let chunks: Vec<Chunk> = spill.written(Key::Customer).into_iter().flatten().collect();
        assert_eq!(chunks.len(), spill.partitions);
        let back: Vec<Response> = chunks.iter().flat_map(|c| c.load(shape).unwrap().into_owned()).collect();
        assert_eq!(back, vec![sent[0].clone(), sent[2].clone(), sent[1].clone()]);
        // A chunk can be read again; the other key's files are empty.
        assert_eq!(chunks[1].load(shape).unwrap().len(), 1);
        assert!(spill.written(Key::Id).into_iter().flatten().all(|c| c.len() == 0));
    }

    #[test]
    fn the_last_response_can_be_taken_back_until_another_is_added() {
        let mut spool = Spool::new(&Spill::memory(), Key::Id, 0);
        spool.add(response(Some("a"), None, vec![]));
        spool.add(response(Some("b"), None, vec![]));
        assert_eq!(spool.pop_last().and_then(|r| r.id).as_deref(), Some("b"));
        let lists = spool.finish().unwrap();
        assert_eq!(lists.iter().map(Vec::len).sum::<usize>(), 1);
    }
}
