/**
 * The pinned actionlint build that checks .github/workflows (test/grafana/workflow.test.ts).
 * v1.7.12 is the newest release the Go module proxy serves (checked at
 * https://proxy.golang.org/github.com/rhysd/actionlint/@v/v1.7.12.info, 2026-03-30).
 */
export interface ActionlintSpec {
  /** Package path of the main package, for `go install <module>@<version>`. */
  module: string;
  version: string;
}

export function actionlintSpec(): ActionlintSpec {
  return { module: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12' };
}
