package metrics

import "sync"

// Problems a Collector reports for the records it dropped or changed.
const (
	problemName      = "a metric name is not 1 to 255 letters, digits, _ - . starting with a letter; fix the name"
	problemUnit      = "a metric has a unit EMF does not know; use one of the Unit constants"
	problemValue     = "a metric value is not a finite number CloudWatch takes (NaN, infinite, or beyond 1e108); record a finite value"
	problemDimName   = "a dimension name is not 1 to 64 letters, digits and _ starting with a letter, or is service, which the package sets; rename it"
	problemDimRepeat = "a dimension is given twice, or has the metric's own name; give each once"
	problemTooMany   = "a metric has more than 29 dimensions (EMF allows 30 with service); use fewer"
	problemCatalog   = "a metric of the catalog was recorded with other dimensions or another unit than the catalog's; see package metrics"
	problemValueSafe = "a dimension value was replaced: it is not 1 to 64 safe characters, or looks like a user's data (a run of six digits, a UUID); never put personal data in a metric"
	problemValueList = "a dimension value was replaced by other: it is not one the catalog lists for the metric"
	problemRecords   = "more than 200 distinct metric records in one invocation; the rest were dropped"
)

// inlineDims and inlineRecords size the storage a Collector holds without
// allocating: records with more dimensions, and more records, take heap
// memory.
const (
	inlineDims    = 2
	inlineRecords = 4
)

// record is one metric under one set of dimensions.
type record struct {
	name string
	unit Unit
	// value is the first value; a Count record sums into it.
	value float64
	// more are the values after the first of a record of another unit.
	more []float64
	nd   int
	dims [inlineDims]Dimension
	ext  []Dimension // the dimensions after inlineDims
	doc  int         // the document the record goes to, set by Flush
}

func (r *record) dim(i int) Dimension {
	if i < inlineDims {
		return r.dims[i]
	}
	return r.ext[i-inlineDims]
}

func (r *record) setDims(dims []Dimension) {
	r.nd = len(dims)
	n := copy(r.dims[:], dims)
	if n < len(dims) {
		r.ext = append([]Dimension(nil), dims[n:]...)
	}
}

// sameDims reports whether r has exactly the dimensions dims, in order.
func (r *record) sameDims(dims []Dimension) bool {
	if r.nd != len(dims) {
		return false
	}
	for i, d := range dims {
		if r.dim(i) != d {
			return false
		}
	}
	return true
}

// values counts r's values.
func (r *record) values() int { return 1 + len(r.more) }

// Collector gathers the metrics of one invocation, for an [Emitter] to
// write at its end. The trigger adapter makes one per invocation and
// carries it in the handler's context; handlers use [Add] and [Count].
// The zero Collector is closed: it drops every record until [Collector.Open].
// A Collector is safe for concurrent use.
type Collector struct {
	mu      sync.Mutex
	open    bool
	n       int
	inline  [inlineRecords]record
	ext     []record
	dropped int
	problem string
}

// Open makes c take records.
func (c *Collector) Open() {
	c.mu.Lock()
	c.open = true
	c.mu.Unlock()
}

// Problems returns how many records c dropped or changed, and what was
// wrong with the first of them ("" when none was).
func (c *Collector) Problems() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped, c.problem
}

func (c *Collector) rec(i int) *record {
	if i < inlineRecords {
		return &c.inline[i]
	}
	return &c.ext[i-inlineRecords]
}

// fault notes a problem; c.mu is held.
func (c *Collector) fault(p string) {
	c.dropped++
	if c.problem == "" {
		c.problem = p
	}
}

// Add records value for the metric name with the service dimension and
// dims, as the package function [Add] does. A closed Collector drops it.
func (c *Collector) Add(name string, unit Unit, value float64, dims ...Dimension) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.open {
		return
	}
	if p := c.check(name, unit, &value, dims); p != "" {
		c.fault(p)
		return
	}
	// The dimensions as they are written: in the catalog's order for a
	// metric of the catalog, values made safe.
	var buf [inlineDims]Dimension
	clean := buf[:0]
	if len(dims) > inlineDims {
		clean = make([]Dimension, 0, len(dims))
	}
	sp, builtin := catalog(name)
	if builtin {
		for _, n := range sp.dims {
			for _, d := range dims {
				if d.Name == n {
					clean = append(clean, d)
				}
			}
		}
	} else {
		clean = append(clean, dims...)
	}
	for i := range clean {
		d := &clean[i]
		ok, constrained := allowed(name, d.Name, d.Value)
		switch {
		case !SafeValue(d.Value):
			d.Value = Redacted
			c.fault(problemValueSafe)
		case constrained && !ok:
			d.Value = Other
			c.fault(problemValueList)
		}
	}
	for i := 0; i < c.n; i++ {
		r := c.rec(i)
		if r.name != name || r.unit != unit || !r.sameDims(clean) {
			continue
		}
		if unit == UnitCount {
			r.value += value
			if _, ok := finite(r.value); !ok {
				r.value -= value
				c.fault(problemValue)
			}
			return
		}
		if r.values() < MaxValues {
			r.more = append(r.more, value)
			return
		}
	}
	if c.n >= MaxRecords {
		c.fault(problemRecords)
		return
	}
	var r *record
	if c.n < inlineRecords {
		r = &c.inline[c.n]
	} else {
		c.ext = append(c.ext, record{})
		r = &c.ext[len(c.ext)-1]
	}
	c.n++
	r.name, r.unit, r.value = name, unit, value
	r.setDims(clean)
}

// check returns what is wrong with a record, or "". It makes *value what
// CloudWatch takes.
func (c *Collector) check(name string, unit Unit, value *float64, dims []Dimension) string {
	if !metricName(name) {
		return problemName
	}
	if !unit.valid() {
		return problemUnit
	}
	v, ok := finite(*value)
	if !ok {
		return problemValue
	}
	*value = v
	if len(dims) >= MaxDimensions {
		return problemTooMany
	}
	for i, d := range dims {
		if !dimName(d.Name) || d.Name == DimService {
			return problemDimName
		}
		if d.Name == name {
			return problemDimRepeat
		}
		for _, e := range dims[:i] {
			if e.Name == d.Name {
				return problemDimRepeat
			}
		}
	}
	if sp, ok := catalog(name); ok {
		if unit != sp.unit || len(dims) != len(sp.dims) {
			return problemCatalog
		}
		for _, n := range sp.dims {
			found := false
			for _, d := range dims {
				found = found || d.Name == n
			}
			if !found {
				return problemCatalog
			}
		}
	}
	return ""
}
