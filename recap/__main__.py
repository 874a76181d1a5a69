from recap.app.cli import main

raise SystemExit(main())
