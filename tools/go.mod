// This folder holds the Node.js tools of the project (package.json and
// the lockfile; npm ci puts them in tools/node_modules). This go.mod makes
// it a module of its own, so that ./... in the repository's module never
// descends into node_modules, which holds Go template files of its own.
module github.com/cognitrig/cognitrig/tools

go 1.26.8
