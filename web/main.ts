import '../src/components/ae-demo/ae-demo.ts';
